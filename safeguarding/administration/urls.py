"""Administration URLs (namespace "administration"): the settings pages under /staff/settings/.

URLs hold record ids and fixed words only: nothing personal.
"""

from django.urls import path

from .views import contacts, decisions, index, partnership, routing, teams, tokens, users

app_name = "administration"

urlpatterns = [
    path("", index.settings_index, name="index"),
    path("routing-rules/", routing.routing_rule_list, name="routing_rule_list"),
    path("routing-rules/add/", routing.routing_rule_add, name="routing_rule_add"),
    path("routing-rules/<int:pk>/", routing.routing_rule_edit, name="routing_rule_edit"),
    path(
        "routing-rules/<int:pk>/move-<str:direction>/",
        routing.routing_rule_move,
        name="routing_rule_move",
    ),
    path("routing-rules/<int:pk>/switch/", routing.routing_rule_active, name="routing_rule_active"),
    path("decision-options/", decisions.decision_option_list, name="decision_option_list"),
    path("decision-options/add/", decisions.decision_option_add, name="decision_option_add"),
    path("decision-options/<int:pk>/", decisions.decision_option_edit, name="decision_option_edit"),
    path(
        "decision-options/<int:pk>/switch/",
        decisions.decision_option_active,
        name="decision_option_active",
    ),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/add/", teams.team_add, name="team_add"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/change/", teams.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/add/", teams.team_member_add, name="team_member_add"),
    path(
        "teams/<int:pk>/members/<int:user_pk>/remove/",
        teams.team_member_remove,
        name="team_member_remove",
    ),
    path("teams/<int:pk>/lead/", teams.team_lead, name="team_lead"),
    path("contact-points/", contacts.contact_point_list, name="contact_point_list"),
    path("contact-points/add/", contacts.contact_point_add, name="contact_point_add"),
    path("contact-points/<int:pk>/", contacts.contact_point_edit, name="contact_point_edit"),
    path("contact-points/<int:pk>/remove/", contacts.contact_point_delete, name="contact_point_delete"),
    path("partnership/", partnership.partnership_edit, name="partnership_edit"),
    path("boards/", partnership.board_list, name="board_list"),
    path("boards/add/", partnership.board_add, name="board_add"),
    path("boards/<int:pk>/", partnership.board_edit, name="board_edit"),
    path("boards/<int:pk>/remove/", partnership.board_delete, name="board_delete"),
    path("agencies/", partnership.agency_list, name="agency_list"),
    path("agencies/add/", partnership.agency_add, name="agency_add"),
    path("agencies/<int:pk>/", partnership.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/remove/", partnership.agency_delete, name="agency_delete"),
    path("users/", users.user_list, name="user_list"),
    path("users/add/", users.user_add, name="user_add"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/change/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/roles/add/", users.role_add, name="role_add"),
    path("users/<int:pk>/roles/<int:role_pk>/remove/", users.role_remove, name="role_remove"),
    path("users/<int:pk>/active/", users.user_active, name="user_active"),
    path("users/<int:pk>/two-step-reset/", users.user_two_step_reset, name="user_two_step_reset"),
    path("users/<int:pk>/password-link/", users.user_password_link, name="user_password_link"),
    path("api-tokens/", tokens.api_token_list, name="api_token_list"),
    path("api-tokens/add/", tokens.api_token_add, name="api_token_add"),
    path("api-tokens/<int:pk>/revoke/", tokens.api_token_revoke_view, name="api_token_revoke"),
]
