from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diogelu.access.models import BreakGlassReason


class BreakGlassForm(forms.Form):
    la_reference = forms.CharField(
        label=_("Local authority reference of the record"),
        max_length=20,
        error_messages={"required": _("Enter the local authority reference")},
    )
    reason_code = forms.ChoiceField(
        label=_("Why do you need emergency access?"),
        choices=BreakGlassReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for emergency access")},
    )
    reason = forms.CharField(
        label=_("Explain what has happened"),
        help_text=_("The information governance lead will read this. At least 20 characters."),
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": _("Explain why you need emergency access"),
            "max_length": _("The explanation must be 5,000 characters or fewer"),
        },
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What you found"),
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": _("Enter what you found")},
    )
