"""The OpenAPI 3.1 description of the organisation API. Contract tests hold the API to it."""

from __future__ import annotations

from functools import cache
from typing import Any

from portal.api.problems import HTTP_CODES
from portal.domain.attachments import AttachmentRule
from portal.domain.cases import CaseRule
from portal.domain.delivery import DeliveryRule, LetterType
from portal.domain.letters import (
    MAX_ACTION_LENGTH,
    MAX_BODY_LENGTH,
    MAX_IF_NOT_DONE_LENGTH,
    MAX_REFERENCE_LENGTH,
    MAX_SUBJECT_LENGTH,
    MAX_URL_LENGTH,
    LetterRule,
)

_EXPLAINED = {"not_found", "request_too_large", "unsupported_media_type", "method_not_allowed"}

PROBLEM_CODES: dict[str, str] = {
    "missing_token": "No bearer token was sent.",
    "invalid_token": "The token is unknown, expired or its client was revoked.",
    "insufficient_scope": "The token lacks the scope this endpoint needs.",
    "invalid_json": "The body is not a JSON object.",
    "invalid_text": "A text holds a control character or broken Unicode (see pointer).",
    "method_not_allowed": "This method is not allowed here (405).",
    "unsupported_media_type": "The body is not application/json.",
    "missing_field": "A required field is missing (see pointer).",
    "invalid_field": "A field has the wrong type or format (see pointer).",
    "too_many_items": "A list has too few or too many items.",
    "invalid_idempotency_key": "The Idempotency-Key header is empty or too long.",
    "request_too_large": "The body is over the limit for this endpoint (413).",
    "not_found": "No such resource for your organisation.",
    "conflict": "A concurrent request changed this; retry.",
    "rate_limited": "Too many requests from this client; wait Retry-After seconds (429).",
    **{rule.value: f"Delivery rule: {rule.value}." for rule in DeliveryRule},
    **{rule.value: f"Letter rule: {rule.value}." for rule in LetterRule},
    **{rule.value: f"Attachment rule (R4): {rule.value}." for rule in AttachmentRule},
    **{rule.value: f"Case rule: {rule.value}." for rule in CaseRule},
    **{code: f"HTTP {status}." for status, code in HTTP_CODES.items() if code not in _EXPLAINED},
    "error": "Any other HTTP error.",
}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _json(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


_ERRORS = {
    "400": _problem_response("The body is not a JSON object (invalid_json), or a header is wrong."),
    "401": _problem_response("No valid bearer token (missing_token, invalid_token)."),
    "403": _problem_response("The token lacks the scope (insufficient_scope)."),
    "413": _problem_response("The body is too large (request_too_large)."),
    "415": _problem_response("The body is not JSON."),
    "422": _problem_response("The request breaks a rule; `code` says which, `pointer` where."),
    "429": {
        **_problem_response("Too many requests (rate_limited); wait Retry-After seconds."),
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    },
}

_CASE_ID = {"name": "case_id", "in": "path", "required": True,
            "schema": {"type": "string", "format": "uuid"}}

_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "code", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "code": {"type": "string", "enum": sorted(PROBLEM_CODES)},
            "detail": {"type": "string"},
            "pointer": {"type": "string", "description": "JSON pointer to the offending field."},
        },
    },
    "Attachment": {
        "type": "object",
        "required": ["filename", "kind", "content"],
        "properties": {
            "filename": {"type": "string", "minLength": 1, "maxLength": 100},
            "kind": {"type": "string", "enum": ["personal", "general"]},
            "content": {"type": "string", "contentEncoding": "base64",
                        "description": "A PDF file, judged by its content."},
        },
    },
    "Letter": {
        "type": "object",
        "required": ["bsn", "letter_type", "subject", "body", "reference"],
        "properties": {
            "bsn": {"type": "string", "pattern": "^[0-9]{9}$"},
            "letter_type": {"type": "string", "enum": [t.value for t in LetterType]},
            "subject": {"type": "string", "minLength": 1, "maxLength": MAX_SUBJECT_LENGTH},
            "body": {"type": "string", "minLength": 1, "maxLength": MAX_BODY_LENGTH},
            "reference": {"type": "string", "minLength": 1, "maxLength": MAX_REFERENCE_LENGTH,
                          "description": "Your reference, unique within your organisation."},
            "act_by": {"type": ["string", "null"], "format": "date"},
            "action": {"type": ["string", "null"], "maxLength": MAX_ACTION_LENGTH,
                       "description": "What the citizen must do; needs act_by."},
            "if_not_done": {"type": ["string", "null"], "maxLength": MAX_IF_NOT_DONE_LENGTH,
                            "description": ("What happens if the action is not done by act_by, in "
                                            "plain words for the citizen; needs action.")},
            "sender_url": {"type": ["string", "null"], "maxLength": MAX_URL_LENGTH,
                           "pattern": "^https://"},
            "attachments": {
                "type": "array", "maxItems": 5,
                "items": {"$ref": "#/components/schemas/Attachment"},
                "description": "At most 2 personal (500 KB together) and 3 general (2 MB together).",
            },
            "not_for_helpers": {
                "type": ["boolean", "null"], "default": False,
                "description": (
                    "Only for the citizen: a helper who acts for them with a mandate "
                    "(machtiging) sees that the letter exists, never its subject, text or "
                    "attachments. Default false. "
                    "Part of the content: the same reference with another value is a conflict."
                ),
            },
        },
    },
    "Receipt": {
        "type": "object",
        "description": "The delivery confirmation (afleverbevestiging).",
        "required": ["receipt_id", "letter_id", "reference", "letter_type", "delivered_at",
                     "content_sha256", "signature", "jwks_uri"],
        "properties": {
            "receipt_id": {"type": "string", "format": "uuid"},
            "letter_id": {"type": "string", "format": "uuid"},
            "reference": {"type": "string"},
            "letter_type": {"type": "string"},
            "delivered_at": {"type": "string", "format": "date-time",
                             "description": "The moment the letter counts as delivered (verstrekt)."},
            "content_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "signature": {"type": "string", "description": "JWS (RS256) over the confirmation."},
            "jwks_uri": {"type": "string"},
        },
    },
    "LetterStatus": {
        "allOf": [
            {"$ref": "#/components/schemas/Receipt"},
            {
                "type": "object",
                "required": ["events"],
                "properties": {
                    "events": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["kind", "at"],
                            "properties": {
                                "kind": {"type": "string", "enum": ["received", "placed",
                                         "notification_queued", "notification_sent"]},
                                "at": {"type": "string", "format": "date-time"},
                            },
                        },
                    }
                },
            },
        ]
    },
    "BatchResult": {
        "type": "object",
        "required": ["results"],
        "properties": {
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["index", "status"],
                    "properties": {
                        "index": {"type": "integer"},
                        "status": {"type": "integer"},
                        "receipt": {"$ref": "#/components/schemas/Receipt"},
                        "problem": {"$ref": "#/components/schemas/Problem"},
                    },
                },
            }
        },
    },
    "NewCase": {
        "type": "object",
        "required": ["bsn", "title", "reference", "steps"],
        "properties": {
            "bsn": {"type": "string"},
            "title": {"type": "string", "minLength": 1, "maxLength": 80},
            "reference": {"type": "string", "minLength": 1, "maxLength": 25},
            "steps": {"type": "array", "minItems": 1, "maxItems": 10,
                      "items": {"type": "string", "minLength": 1, "maxLength": 80}},
        },
    },
    "StatusChange": {
        "type": "object",
        "required": ["step", "text"],
        "properties": {
            "step": {"type": "integer", "minimum": 1, "description": "Counts from 1."},
            "text": {"type": "string", "minLength": 1, "maxLength": 1000,
                     "description": "Plain language for the citizen."},
            "action": {"type": ["string", "null"], "maxLength": 200},
            "act_by": {"type": ["string", "null"], "format": "date"},
            "if_not_done": {"type": ["string", "null"], "maxLength": MAX_IF_NOT_DONE_LENGTH,
                            "description": ("What happens if the action is not done by act_by, in "
                                            "plain words for the citizen; needs action.")},
        },
    },
    "CaseState": {
        "type": "object",
        "required": ["case_id", "reference", "title", "status", "current_step", "steps", "updated_at", "history"],
        "properties": {
            "case_id": {"type": "string", "format": "uuid"},
            "reference": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "current_step": {"type": "integer"},
            "steps": {"type": "array", "items": {"type": "string"}},
            "action": {"type": ["string", "null"]},
            "act_by": {"type": ["string", "null"], "format": "date"},
            "if_not_done": {"type": ["string", "null"]},
            "updated_at": {"type": "string", "format": "date-time"},
            "history": {"type": "array", "items": {
                "type": "object", "required": ["at", "step", "text"],
                "properties": {"at": {"type": "string"}, "step": {"type": "integer"}, "text": {"type": "string"}},
            }},
        },
    },
    "CheckResult": {
        "type": "object",
        "required": ["results"],
        "properties": {
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["bsn", "valid"],
                    "properties": {
                        "bsn": {"type": "string"},
                        "valid": {"type": "boolean"},
                        "code": {"type": "string", "enum": ["invalid_bsn"]},
                        "active_box": {"type": "boolean"},
                        "subscribed": {"type": "boolean"},
                    },
                },
            }
        },
    },
}


@cache
def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Burgerportaal organisation API",
            "version": "1.0.0",
            "description": (
                "Check whether citizens can be reached, deliver letters with proof of "
                "delivery. Authenticate with OAuth2 client credentials."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {
                "oauth2": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "/api/v1/oauth/token",
                            "scopes": {
                                "letters:send": "Deliver letters and read their confirmations.",
                                "subscriptions:check": "Check whether citizens can be reached.",
                                "cases:write": "Open and update cases (Lopende Zaken).",
                            },
                        }
                    },
                }
            },
            "schemas": _SCHEMAS,
        },
        "paths": {
            "/subscriptions/check": {
                "post": {
                    "summary": "Can these citizens be reached here? (opvragen geabonneerden)",
                    "security": [{"oauth2": ["subscriptions:check"]}],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {
                            "type": "object", "required": ["bsns"],
                            "properties": {"bsns": {"type": "array", "minItems": 1, "maxItems": 250,
                                                    "items": {"type": "string"}}},
                        }}},
                    },
                    "responses": {"200": _json("CheckResult", "One result per BSN, in order."), **_ERRORS},
                }
            },
            "/letters": {
                "post": {
                    "summary": "Deliver one letter (exactly once)",
                    "security": [{"oauth2": ["letters:send"]}],
                    "parameters": [{
                        "name": "Idempotency-Key", "in": "header", "required": False,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 100},
                    }],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Letter"}}}},
                    "responses": {
                        "201": _json("Receipt", "Delivered: the delivery confirmation."),
                        "200": _json("Receipt", "Already delivered: the first confirmation."),
                        "409": _problem_response("Reference or key used for other content."),
                        **_ERRORS,
                    },
                }
            },
            "/letters/batch": {
                "post": {
                    "summary": "Deliver up to 1,000 letters; a result per letter",
                    "security": [{"oauth2": ["letters:send"]}],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["letters"],
                        "properties": {"letters": {"type": "array", "minItems": 1, "maxItems": 1000,
                                                   "items": {"$ref": "#/components/schemas/Letter"}}},
                    }}}},
                    "responses": {"200": _json("BatchResult", "One result per letter."), **_ERRORS},
                }
            },
            "/letters/{letter_id}": {
                "get": {
                    "summary": "A delivered letter's confirmation and track-and-trace",
                    "security": [{"oauth2": ["letters:send"]}],
                    "parameters": [{"name": "letter_id", "in": "path", "required": True,
                                    "schema": {"type": "string", "format": "uuid"}}],
                    "responses": {
                        "200": _json("LetterStatus", "Confirmation and events."),
                        "404": _problem_response("Not delivered by you."),
                        "401": _ERRORS["401"], "403": _ERRORS["403"], "429": _ERRORS["429"],
                    },
                }
            },
            "/cases": {
                "post": {
                    "summary": "Open a case (Lopende Zaken) in a citizen's box",
                    "security": [{"oauth2": ["cases:write"]}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/NewCase"}}}},
                    "responses": {
                        "201": _json("CaseState", "Opened, standing at step 1."),
                        "409": _problem_response("Reference taken (reference_taken)."),
                        **_ERRORS,
                    },
                }
            },
            "/cases/{case_id}": {
                "get": {
                    "summary": "A case's state and history",
                    "security": [{"oauth2": ["cases:write"]}],
                    "parameters": [_CASE_ID],
                    "responses": {"200": _json("CaseState", "The case."),
                                  "404": _problem_response("Not your case."),
                                  "401": _ERRORS["401"], "403": _ERRORS["403"], "429": _ERRORS["429"]},
                }
            },
            "/cases/{case_id}/status": {
                "post": {
                    "summary": "Post a status change (step, plain text, optional action by a date)",
                    "security": [{"oauth2": ["cases:write"]}],
                    "parameters": [_CASE_ID],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/StatusChange"}}}},
                    "responses": {"200": _json("CaseState", "Changed."),
                                  "404": _problem_response("Not your case."),
                                  "409": _problem_response("The case is closed (case_closed)."),
                                  **_ERRORS},
                }
            },
            "/cases/{case_id}/close": {
                "post": {
                    "summary": "Close a case; its history stays",
                    "security": [{"oauth2": ["cases:write"]}],
                    "parameters": [_CASE_ID],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"text": {"type": ["string", "null"], "maxLength": 1000}},
                    }}}},
                    "responses": {"200": _json("CaseState", "Closed."),
                                  "404": _problem_response("Not your case."),
                                  "409": _problem_response("Already closed (case_closed)."),
                                  **_ERRORS},
                }
            },
            "/cases/{case_id}/letters": {
                "post": {
                    "summary": "Show a letter you delivered on the case page",
                    "security": [{"oauth2": ["cases:write"]}],
                    "parameters": [_CASE_ID],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["letter_id"],
                        "properties": {"letter_id": {"type": "string", "format": "uuid"}},
                    }}}},
                    "responses": {"200": _json("CaseState", "Linked."),
                                  "404": _problem_response("Not your case."),
                                  **_ERRORS},
                }
            },
            "/jwks.json": {
                "get": {
                    "summary": "Public key(s) to check confirmation signatures",
                    "security": [],
                    "responses": {"200": {"description": "A JSON Web Key Set.",
                                          "content": {"application/json": {"schema": {"type": "object"}}}}},
                }
            },
        },
    }
