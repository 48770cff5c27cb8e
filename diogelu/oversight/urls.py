from django.urls import path

from diogelu.oversight import views

urlpatterns = [
    path("oversight/", views.oversight_home_view, name="oversight_home"),
    path("oversight/teams/<int:team_id>/", views.team_dashboard_view, name="team_dashboard"),
    path(
        "oversight/teams/<int:team_id>/children/",
        views.team_children_view,
        name="team_children",
    ),
    path("oversight/lists/", views.figure_list_view, name="oversight_list"),
    path("oversight/workforce/", views.workforce_view, name="workforce"),
    path("oversight/weighting/", views.weighting_view, name="weighting"),
    path("oversight/people/<int:person_id>/", views.child_oversight_view, name="child_oversight"),
    path(
        "oversight/people/<int:person_id>/allocate/",
        views.allocate_child_view,
        name="allocate_child",
    ),
    path("oversight/people/<int:person_id>/rating/", views.rate_child_view, name="rate_child"),
    path(
        "oversight/people/<int:person_id>/close/",
        views.propose_closure_view,
        name="propose_closure",
    ),
    path(
        "oversight/people/<int:person_id>/end-allocation/",
        views.propose_end_allocation_view,
        name="propose_end_allocation",
    ),
    path("oversight/approvals/<int:approval_id>/", views.show_approval_view, name="show_approval"),
    path("oversight/supervision/", views.my_supervision_view, name="my_supervision"),
    path("oversight/supervisions/new/", views.new_supervision_view, name="new_supervision"),
    path(
        "oversight/supervisions/<int:supervision_id>/",
        views.show_supervision_view,
        name="show_supervision",
    ),
    path(
        "oversight/supervisions/<int:supervision_id>/amend/",
        views.amend_supervision_view,
        name="amend_supervision",
    ),
    path("oversight/actions/<int:action_id>/done/", views.action_done_view, name="action_done"),
    path("oversight/workers/<int:worker_id>/", views.show_worker_view, name="show_worker"),
    path(
        "oversight/workers/<int:worker_id>/supervision/",
        views.supervision_file_view,
        name="supervision_file",
    ),
    path("oversight/workers/new/", views.new_worker_view, name="new_worker"),
    path(
        "oversight/workers/<int:worker_id>/contracts/add/",
        views.add_contract_view,
        name="add_contract",
    ),
    path(
        "oversight/workers/<int:worker_id>/leaving/",
        views.record_leaving_view,
        name="record_leaving",
    ),
    path(
        "oversight/workers/<int:worker_id>/absences/add/",
        views.record_absence_view,
        name="record_absence",
    ),
    path("oversight/teams/<int:team_id>/posts/", views.team_posts_view, name="team_posts"),
    path("oversight/posts/<int:post_id>/fill/", views.fill_post_view, name="fill_post"),
]
