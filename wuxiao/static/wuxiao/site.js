// Site-wide behaviour. No inline scripts: pages mark elements with data- attributes.
document.addEventListener("DOMContentLoaded", () => {
  // <button data-confirm="确定要…吗？"> asks before submitting its form.
  document.body.addEventListener("click", (event) => {
    const el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  });
  // <button data-copy="text"> copies text (e.g. an invitation link).
  document.body.addEventListener("click", (event) => {
    const el = event.target.closest("[data-copy]");
    if (el && navigator.clipboard) {
      navigator.clipboard.writeText(el.dataset.copy);
      el.textContent = "已复制";
    }
  });
});
