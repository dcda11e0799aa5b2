from django import forms


class UnlockForm(forms.Form):
    password = forms.CharField(
        label="Password",
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
