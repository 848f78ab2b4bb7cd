"""Problem details (RFC 9457) with a stable machine code per rule."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify
from werkzeug.exceptions import HTTPException

from portal.api import schemas
from portal.public_urls import public_url

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
}


class Problem(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        pointer: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.detail = detail
        self.pointer = pointer
        self.headers = headers or {}

    def details(self) -> schemas.Problem:
        return schemas.Problem(
            # On BASE_URL, never on the request's Host header.
            type=public_url(current_app, "api.docs") + f"#problem-{self.code}",
            title=TITLES.get(self.status, "Error"),
            status=self.status,
            code=self.code,
            detail=self.detail,
            pointer=self.pointer,
        )

    def body(self) -> dict[str, Any]:
        return self.details().model_dump(mode="json", exclude_none=True)


def problem_response(problem: Problem) -> Response:
    response = jsonify(problem.body())
    response.status_code = problem.status
    response.mimetype = PROBLEM_JSON
    response.headers.update(problem.headers)
    return response


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    415: "unsupported_media_type",
    500: "internal_error",
}


def register(bp: Blueprint) -> None:
    bp.register_error_handler(Problem, problem_response)

    @bp.errorhandler(HTTPException)
    def http_problem(error: HTTPException) -> Response:
        status = error.code or 500
        code = HTTP_CODES.get(status, "error")
        detail = error.description if status != 500 else "Something went wrong on our side."
        return problem_response(Problem(status, code, str(detail)))
