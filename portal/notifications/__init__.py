"""E-mail notifications (R6): the outbox worker, the mail backends and the ``notifications``
command group. The rules (who gets what, and when) are in ``portal.domain.notifications``."""
