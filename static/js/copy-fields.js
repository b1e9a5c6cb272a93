// Invitation links on the team page: focusing the read-only field selects the link, ready to copy.
// (A file rather than an inline onfocus handler: the Content-Security-Policy allows no inline script.)
for (const field of document.querySelectorAll("input.copy[readonly]")) {
  field.addEventListener("focus", () => field.select());
}
