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

// <form> … <button data-once>: after the form is sent, its data-once buttons are disabled so a
// double click sends one request (the server's version check refuses a second one anyway).
document.addEventListener("submit", (event) => {
  const buttons = event.target.querySelectorAll("[data-once]");
  setTimeout(() => buttons.forEach((b) => { b.disabled = true; }), 0);
});

// A signed-out htmx request is answered with the sign-in page: never swap that into a page
// section; say what happened instead (what was typed stays on the page).
document.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login/") !== -1) {
    event.detail.shouldSwap = false;
    const status = document.getElementById("autosave-status");
    if (status) {
      status.innerHTML = '<div class="alert alert-warning mb-0 py-2" role="alert">登录已过期，操作未完成。请在新窗口重新登录后再试，本页内容不会丢失。</div>';
    }
  }
});

// 申报表 drafts (<form data-autosave data-draft-key="…" hx-trigger="autosave">): every change is
// kept in localStorage at once and sent to the server after a pause. The copy is dropped once
// the server holds the same values; a copy the server never got (session expired, network
// down) is offered back when the page is opened again.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosave]");
  if (!form || !window.localStorage) return;
  const key = "wuxiao-draft:" + form.dataset.draftKey;
  const skip = (el) => !el.name || el.type === "file" || el.type === "hidden" || el.disabled || el.closest("[data-autosave-skip]");
  const collect = () => {
    const data = {};
    for (const el of form.elements) {
      if (skip(el)) continue;
      if (el.type === "radio") {
        if (!(el.name in data)) data[el.name] = "";
        if (el.checked) data[el.name] = el.value;
      } else if (el.type === "checkbox") {
        data[el.name] = el.checked ? el.value : "";
      } else {
        data[el.name] = el.value;
      }
    }
    return data;
  };
  const apply = (data) => {
    for (const el of form.elements) {
      if (skip(el) || !(el.name in data)) continue;
      if (el.type === "radio" || el.type === "checkbox") el.checked = el.value === data[el.name];
      else el.value = data[el.name];
    }
  };
  const same = (a, b) => Object.keys(a).every((k) => (b[k] ?? "") === a[k]);
  const stored = () => {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  };
  const keep = () => {
    try { localStorage.setItem(key, JSON.stringify({ at: Date.now(), data: collect() })); } catch (e) { /* full */ }
  };
  const forget = () => localStorage.removeItem(key);

  const saved = stored();
  const banner = document.getElementById("draft-restore");
  if (saved && saved.data) {
    if (same(saved.data, collect())) {
      forget();
    } else if (banner) {
      banner.querySelector("[data-draft-time]").textContent = new Date(saved.at).toLocaleString("zh-CN");
      banner.classList.remove("d-none");
      banner.querySelector("[data-draft-restore]").addEventListener("click", () => {
        apply(saved.data);
        banner.classList.add("d-none");
        htmx.trigger(form, "autosave");
      });
      banner.querySelector("[data-draft-discard]").addEventListener("click", () => {
        forget();
        banner.classList.add("d-none");
      });
    }
  }

  let timer = null;
  const changed = (event) => {
    if (event.target.closest("[data-autosave-skip]")) return;
    keep();
    clearTimeout(timer);
    timer = setTimeout(() => htmx.trigger(form, "autosave"), 1500);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", () => {
    clearTimeout(timer);
    keep();
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail.xhr;
    if (event.detail.elt !== form || !xhr || !xhr.getResponseHeader("X-Draft-Saved")) return;
    const copy = stored();
    if (!copy || same(copy.data, collect())) forget();
  });
});

// Signing out on purpose (e.g. on a shared office computer) drops every draft copy kept in
// this browser; only an expired session keeps them for the person to restore.
document.addEventListener("submit", (event) => {
  const action = event.target.getAttribute("action") || "";
  if (!action.endsWith("/accounts/logout/") || !window.localStorage) return;
  Object.keys(localStorage).filter((k) => k.startsWith("wuxiao-draft:")).forEach((k) => localStorage.removeItem(k));
});

// The autosave answers 403 when the project can no longer be edited: show that message too.
document.addEventListener("htmx:beforeSwap", (event) => {
  const elt = event.detail.elt;
  if (event.detail.xhr.status === 403 && elt && elt.matches && elt.matches("form[data-autosave]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// After a refused submit the error summary takes the focus, so keyboard and screen-reader
// users start at the list of what to fix (each line is a link to its field).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();
});

// <div data-age-of="id_birth" data-reference-date="2024-06-30">: the age (周岁 on the
// campaign's reference date) follows the birth date as it is typed, as the server computes it.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-age-of]").forEach((out) => {
    const input = document.getElementById(out.dataset.ageOf);
    if (!input) return;
    const ref = out.dataset.referenceDate;
    const show = () => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value || "");
      if (!m) { out.textContent = "由出生日期计算"; return; }
      const [ry, rm, rd] = ref.split("-").map(Number);
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      let age = ry - y;
      if (rm < mo || (rm === mo && rd < d)) age -= 1;
      out.textContent = age >= 0 ? `${age} 周岁（按 ${ref} 计算）` : "出生日期晚于计算基准日";
    };
    input.addEventListener("input", show);
    input.addEventListener("change", show);
  });
});

// <table class="table-stack">: on a phone each row is shown as a card; every cell is labelled
// with its column's heading (data-label), taken from the table's <thead>.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.table-stack").forEach((table) => {
    const heads = [];
    table.querySelectorAll("thead tr:last-child th").forEach((th) => {
      for (let i = 0; i < (th.colSpan || 1); i++) heads.push(th.textContent.trim());
    });
    table.querySelectorAll("tbody tr").forEach((tr) => {
      let col = 0;
      for (const td of tr.children) {
        if (!td.hasAttribute("data-label") && heads[col] && (td.colSpan || 1) < heads.length) td.setAttribute("data-label", heads[col]);
        col += td.colSpan || 1;
      }
    });
  });
});
