from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from community.models import Profile, User
from community.services import handle_validate, profile_create


class SignupProfileForm(forms.Form):
    """Extra sign-up fields (allauth's ``ACCOUNT_SIGNUP_FORM_CLASS``)."""

    handle = forms.CharField(
        max_length=31,
        help_text="Your public name in URLs: kindred/@handle. 3–30 lowercase letters, digits and _.",
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "placeholder": "e.g. moonlit_writer"}
        ),
    )
    display_name = forms.CharField(max_length=60, required=False)

    def clean_handle(self) -> str:
        return handle_validate(self.cleaned_data["handle"])

    def signup(self, request: HttpRequest, user: User) -> None:
        profile_create(
            user=user,
            handle=self.cleaned_data["handle"],
            display_name=self.cleaned_data.get("display_name", ""),
        )


class ProfileForm(forms.ModelForm[Profile]):
    avatar = forms.FileField(required=False, help_text="PNG, JPEG or WebP, up to 5 MB.")
    avatar_clear = forms.BooleanField(required=False, label="Remove avatar")

    class Meta:
        model = Profile
        fields = ["display_name", "handle", "bio", "birth_date", "show_mature"]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "bio": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"show_mature": "Show mature (18+) characters"}
        help_texts = {
            "birth_date": "Private. Used only for age rules.",
            "show_mature": "Characters their creators rated mature appear in "
            "Discover, search and the community. Adults only: your birth date "
            "above must show you are 18 or older.",
        }

    def clean_handle(self) -> str:
        return handle_validate(
            self.cleaned_data["handle"], exclude_user=self.instance.user
        )

    def _post_clean(self) -> None:  # the service does the model validation
        pass


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=60, help_text="What will use it, e.g. “Discord bot”."
    )


def form_errors_from(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to the form it came from."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
