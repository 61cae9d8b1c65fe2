from __future__ import annotations

from django import forms

from chat.models import MAX_PERSONA_DESCRIPTION


class PersonaForm(forms.Form):
    name = forms.CharField(max_length=60, label="Name")
    description = forms.CharField(
        required=False,
        max_length=MAX_PERSONA_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Description",
        help_text="Who you are in the story. Characters see this. At most 2,000 characters.",
    )
    is_default = forms.BooleanField(required=False, label="Use for new chats")


class RenameForm(forms.Form):
    title = forms.CharField(max_length=120, required=False, label="Title")
