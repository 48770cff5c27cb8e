"""Forms for signing in, MFA, tokens and user administration."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from diogelu.accounts.models import AgencyKind, Role, Team


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, error_messages={"required": _("Enter your username")}
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=256,
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": _("Enter your password")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6-digit code, for example 123456"),
        max_length=12,
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
    )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("The code must be 6 digits"))
        return code


class ConfirmIdentityForm(forms.Form):
    """Step-up: the password again, and a code when the user has an authenticator."""

    password = forms.CharField(
        label=_("Password"),
        max_length=256,
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": _("Enter your password")},
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6-digit code, for example 123456"),
        max_length=12,
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
    )

    def __init__(self, *args: Any, with_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("The code must be 6 digits"))
        return code


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the system using this token"),
        max_length=100,
        error_messages={"required": _("Enter a name for the token")},
    )
    days = forms.IntegerField(
        label=_("Days until it expires"),
        initial=90,
        min_value=1,
        max_value=365,
        error_messages={
            "required": _("Enter how many days the token lasts"),
            "invalid": _("Enter a whole number of days"),
            "min_value": _("Enter a number of days from 1 to 365"),
            "max_value": _("Enter a number of days from 1 to 365"),
        },
    )


class AgencyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the agency's name")}
    )
    name_cy = forms.CharField(label=_("Welsh name"), max_length=200, required=False)
    code = forms.SlugField(
        label=_("Short code"),
        max_length=40,
        help_text=_("Lower case letters, numbers and hyphens, like south-wales-police"),
        error_messages={
            "required": _("Enter a short code"),
            "invalid": _("Use only lower case letters, numbers and hyphens"),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of agency"),
        choices=[c for c in AgencyKind.choices if c[0] != AgencyKind.LOCAL_AUTHORITY],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of agency")},
    )


class UserForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=150, error_messages={"required": _("Enter a first name")}
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, error_messages={"required": _("Enter a last name")}
    )
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[a-z0-9._-]{3,150}$",
        max_length=150,
        error_messages={
            "required": _("Enter a username"),
            "invalid": _("Use 3 or more lower case letters, numbers, dots, hyphens or underscores"),
        },
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter an email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role")},
    )

    def __init__(
        self, *args: Any, agency: Any, allowed_roles: frozenset[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ModelChoiceField)
        team_field.queryset = Team.objects.filter(agency=agency)
        roles_field = self.fields["roles"]
        assert isinstance(roles_field, forms.MultipleChoiceField)
        roles_field.choices = [c for c in Role.choices if c[0] in allowed_roles]

    def clean_username(self) -> str:
        from diogelu.accounts.dormant import AUTOMATIC_PREFIX

        username = str(self.cleaned_data["username"])
        if username.startswith(AUTOMATIC_PREFIX):
            raise forms.ValidationError(
                _("Usernames starting with “diogelu-automatic.” are reserved")
            )
        return username


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role")},
    )

    def __init__(self, *args: Any, allowed_roles: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles_field = self.fields["roles"]
        assert isinstance(roles_field, forms.MultipleChoiceField)
        roles_field.choices = [c for c in Role.choices if c[0] in allowed_roles]


class ForgotPasswordForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username or email address"),
        max_length=254,
        error_messages={"required": _("Enter your username or email address")},
    )


class NewPasswordForm(forms.Form):
    """A new password, twice. With ``with_current``, the current password first."""

    current_password = forms.CharField(
        label=_("Current password"),
        max_length=256,
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": _("Enter your current password")},
    )
    new_password = forms.CharField(
        label=_("New password"),
        help_text=_(
            "At least 12 characters. Not a password published after a data breach: a few words "
            "you will remember work well."
        ),
        max_length=256,
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": _("Enter a new password")},
    )
    confirm_password = forms.CharField(
        label=_("Confirm new password"),
        max_length=256,
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": _("Enter the new password again")},
    )

    def __init__(self, *args: Any, with_current: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_current:
            del self.fields["current_password"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new, confirm = data.get("new_password"), data.get("confirm_password")
        if new and confirm and new != confirm:
            self.add_error("confirm_password", _("The passwords do not match"))
        return data
