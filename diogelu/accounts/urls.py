from django.urls import path

from diogelu.accounts import views

urlpatterns = [
    path("sign-in/", views.sign_in_view, name="sign_in"),
    path("locked/", views.locked_out, name="locked_out"),
    path("sign-out/", views.sign_out_view, name="sign_out"),
    path("forgot-password/", views.forgot_password_view, name="forgot_password"),
    path("set-password/", views.set_password_view, name="set_password"),
    path("set-password/<str:token>/", views.password_link_view, name="password_link"),
    path("account/password/", views.change_password_view, name="change_password"),
    path("confirm-identity/", views.confirm_identity_view, name="confirm_identity"),
    path("account/", views.account_view, name="account"),
    path("account/mfa/", views.mfa_view, name="mfa"),
    path(
        "account/sign-out-everywhere/", views.sign_out_everywhere_view, name="sign_out_everywhere"
    ),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token_view, name="revoke_token"),
    path("admin/agencies/", views.agency_list_view, name="agency_list"),
    path("admin/agencies/add/", views.add_agency_view, name="add_agency"),
    path("admin/agencies/<int:agency_id>/", views.show_agency_view, name="show_agency"),
    path("admin/agencies/<int:agency_id>/users/add/", views.add_user_view, name="add_user"),
    path("admin/users/<int:user_id>/", views.update_user_view, name="update_user"),
]
