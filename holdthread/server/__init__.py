"""The pre-submit service: helpdesks ask it pass, warn or block before a note is saved.

``holdthread serve`` runs :func:`holdthread.server.app.create_app` under uvicorn. The package is
split by job: request bodies and their limits (``bodies``), signatures (``signatures``), secrets
(``credentials``), helpdesk payloads (``payloads``), the lint with its time budget and reloads
(``service``), the findings store (``store``), metrics (``metrics``) and process supervision
(``supervisor``).
"""

from __future__ import annotations

from holdthread.server.settings import ServerSettings

__all__ = ["ServerSettings"]
