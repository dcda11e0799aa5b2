"""The forms a producer meets: the access pass, the terms of viewing, asking for more time."""

from django import forms


class UnlockForm(forms.Form):
    password = forms.CharField(
        label="Access pass",
        max_length=200,
        strip=True,
        help_text="Five groups of letters and numbers, as in the message you received.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, terms=None, **kwargs):
        super().__init__(*args, **kwargs)
        if terms:
            self.fields["accept_terms"] = forms.BooleanField(
                label="I have read and accept the terms of viewing above."
            )


class AcceptTermsForm(forms.Form):
    accept_terms = forms.BooleanField(label="I have read and accept the terms of viewing above.")


class MoreTimeForm(forms.Form):
    message = forms.CharField(
        label="What do you need?",
        max_length=1000,
        help_text="For example: “Two more weeks, to show the reel to our director.”",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
