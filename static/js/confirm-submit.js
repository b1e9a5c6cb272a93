// Forms with data-confirm (Revoke an access key) ask before they are sent.
// (A file rather than an inline onsubmit handler: the Content-Security-Policy allows no inline script.)
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
