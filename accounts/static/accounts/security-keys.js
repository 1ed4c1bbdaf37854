// Once django-otp-webauthn's script has registered a new key, show it in the list.
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.reload();
});
