"""Every change linking makes: a concern's identifiers (identifiers), links between concerns (links),
networks (networks) and alerts (alerts). Callers import from here, never from the modules."""

from .alerts import (
    alert_acknowledge,
    alert_assign,
    alert_close,
    alert_notify,
    alerts_notify_missed,
    alerts_raise,
)
from .identifiers import (
    concern_identifiers_refresh,
    identifier_add,
    identifier_correct,
    identifier_keys_write,
    identifier_remove,
    identifier_shown,
    identifiers_reindex,
    suggestion_accept,
    suggestion_dismiss,
)
from .links import (
    concern_link,
    concerns_link_pending,
    link_confirm,
    link_reject,
    linking_catch_up,
    relink_all,
)
from .networks import networks_recompute, networks_recompute_stale

__all__ = [
    "alert_acknowledge",
    "alert_assign",
    "alert_close",
    "alert_notify",
    "alerts_notify_missed",
    "alerts_raise",
    "concern_identifiers_refresh",
    "concern_link",
    "concerns_link_pending",
    "identifier_add",
    "identifier_correct",
    "identifier_keys_write",
    "identifier_remove",
    "identifier_shown",
    "identifiers_reindex",
    "link_confirm",
    "link_reject",
    "linking_catch_up",
    "networks_recompute",
    "networks_recompute_stale",
    "relink_all",
    "suggestion_accept",
    "suggestion_dismiss",
]
