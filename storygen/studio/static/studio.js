// Story Studio: the four picks as picture buttons, the make job's progress, the book, the shelf.
// Talks only to its own server (/api/...); every text from it goes in with textContent, never as HTML.
"use strict";

const STEPS = [
  {key: "theme", chip: "Place", title: "Where does the story happen?"},
  {key: "hero", chip: "Hero", title: "Who is the hero?"},
  {key: "color", chip: "Color", title: "Pick a color"},
  {key: "adjective", chip: "Word", title: "What is the hero like?"},
];
// Friendly words beside the stage names that `storygen make` reports.
const STAGE_LABEL = {plan: "Planning the story", write: "Writing it", rank: "Picking the best one",
  scene: "Drawing the pictures", narrate: "Reading it aloud", music: "Making the music",
  sfx: "Adding sounds", mix: "Mixing the sound", book: "Binding the book"};
const POLL_MS = 400;

const $ = (id) => document.getElementById(id);
const state = {opts: null, picks: {}, step: 0, consent: false, job: null, pendingDelete: null};

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

async function api(method, url, body) {
  const init = {method, headers: {}};
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  let data = {};
  try { data = await res.json(); } catch (e) { data = {error: "The studio sent no answer"}; }
  if (!res.ok) throw Object.assign(new Error(data.error || res.statusText), {status: res.status});
  return data;
}

function say(text) { $("status").textContent = text; }

// ---------------------------------------------------------------- sections

const SECTIONS = ["consent", "picks", "progress", "viewer", "shelf"];

function show(id, focus = true) {
  for (const s of SECTIONS) $(s).hidden = s !== id;
  document.body.dataset.view = id;  // the viewer drops the studio's header to give the book room
  $("go-make").setAttribute("aria-current", id === "shelf" ? "false" : "page");
  $("go-shelf").setAttribute("aria-current", id === "shelf" ? "page" : "false");
  if (focus) {
    const heading = $(id).querySelector("h2");
    if (heading) heading.focus();
  }
}

function showMake(focus = true) {
  if (!state.consent) return show("consent", focus);
  if (state.job && !["done", "error", "cancelled"].includes(state.job.state)) return show("progress", focus);
  renderStep();
  show("picks", focus);
}

// ---------------------------------------------------------------- consent

async function loadConsent() {
  const c = await api("GET", "/api/consent");
  state.consent = c.granted;
  // A record that could not be used (damaged on disk) counts as none: say why the form is back.
  $("consent-error").textContent = c.problem ? `The consent on record cannot be used: ${c.problem}` : "";
}

async function giveConsent(ev) {
  ev.preventDefault();
  const name = $("guardian").value.trim();
  $("consent-error").textContent = "";
  if (!name) { $("consent-error").textContent = "Please write your name."; $("guardian").focus(); return; }
  if (!$("confirm").checked) { $("consent-error").textContent = "Please tick the box to confirm."; $("confirm").focus(); return; }
  try {
    const c = await api("POST", "/api/consent", {guardian: name, confirm: true});
    state.consent = c.granted;
    say(`Thank you, ${c.guardian}. Now let's pick a story!`);
    state.step = 0;
    showMake();
  } catch (e) {
    $("consent-error").textContent = e.message;
  }
}

// ---------------------------------------------------------------- picks

function theme() { return state.opts.themes.find((t) => t.name === state.picks.theme); }

function choicesFor(key) {
  const o = state.opts;
  if (key === "theme") return o.themes;
  if (key === "hero") return theme() ? theme().heroes : [];
  if (key === "color") return o.colors;
  return o.adjectives;
}

function labelOf(key, name) {
  const hit = choicesFor(key).find((c) => c.name === name);
  return hit ? hit.label : name;
}

function nextStep(from) {
  for (let i = from; i < STEPS.length; i++) if (!state.picks[STEPS[i].key]) return i;
  return STEPS.length;  // every pick made: ready
}

function choose(key, name) {
  state.picks[key] = name;
  if (key === "theme" && !theme().heroes.some((h) => h.name === state.picks.hero)) delete state.picks.hero;
  state.step = nextStep(STEPS.findIndex((s) => s.key === key) + 1);
  renderStep();
  $("step-title").focus();
}

function summary() {
  const p = state.picks;
  return `A ${labelOf("adjective", p.adjective).toLowerCase()} ${p.color} ${p.hero} \u2014 ${labelOf("theme", p.theme)}`;
}

function renderPicked() {
  // The four picks as pictures above "Make my story", for a child who cannot read the summary.
  const row = $("picked");
  row.replaceChildren();
  for (const s of STEPS) {
    const c = choicesFor(s.key).find((x) => x.name === state.picks[s.key]);
    if (!c) continue;
    const pic = s.key === "color" ? el("span", {class: "swatch"}) : c.art ? el("img", {src: c.art, alt: ""}) : null;
    if (s.key === "color") pic.style.setProperty("--swatch", c.hex);
    row.append(el("span", {class: "pick"}, pic));
  }
}

function renderSteps() {
  const list = $("steps");
  list.replaceChildren();
  STEPS.forEach((s, i) => {
    const picked = state.picks[s.key];
    const reachable = i <= nextStep(0);
    const b = el("button", {type: "button", class: picked ? "done" : "",
      text: `${i + 1}. ${s.chip}${picked ? ": " + labelOf(s.key, picked) : ""}`,
      onclick: () => { state.step = i; renderStep(); $("step-title").focus(); }});
    if (i === state.step) b.setAttribute("aria-current", "step");
    b.disabled = !reachable;
    list.append(el("li", {}, b));
  });
}

function renderStep() {
  renderSteps();
  const grid = $("choices");
  grid.replaceChildren();
  $("make-error").textContent = "";
  const ready = state.step >= STEPS.length;
  $("ready").hidden = !ready;
  $("back").hidden = state.step === 0;
  if (ready) {
    $("step-title").textContent = "Ready!";
    $("summary").textContent = summary();
    renderPicked();
    grid.hidden = true;
    return;
  }
  grid.hidden = false;
  const step = STEPS[state.step];
  $("step-title").textContent = step.title;
  grid.setAttribute("aria-label", step.title);
  for (const c of choicesFor(step.key)) {
    const picture = step.key === "color"
      ? el("span", {class: "swatch", "aria-hidden": "true"})
      : c.art ? el("img", {src: c.art, alt: "", width: "96", height: "96"}) : null;
    if (step.key === "color") picture.style.setProperty("--swatch", c.hex);  // CSSOM: allowed by the CSP
    const b = el("button", {type: "button", class: "choice", "data-value": c.name,
      "aria-pressed": String(state.picks[step.key] === c.name), onclick: () => choose(step.key, c.name)},
      picture, el("span", {class: "label", text: c.label}));
    grid.append(b);
  }
}

// ---------------------------------------------------------------- making

function renderStages(job) {
  const list = $("stages");
  list.replaceChildren();
  job.stages.forEach((name, i) => {
    const cls = i < job.stage_index || job.state === "done" ? "done"
      : i === job.stage_index && job.state === "running" ? "now" : "";
    const li = el("li", {class: cls, "data-stage": name},
      el("span", {text: (cls === "done" ? "\u2713 " : "") + (STAGE_LABEL[name] || name)}),
      el("span", {class: "name", text: name}));
    list.append(li);
  });
  $("bar").max = job.stages.length;
  $("bar").value = job.state === "done" ? job.stages.length : job.stage_index;
  $("progress-picks").textContent = `A ${job.picks.adjective} ${job.picks.color} ${job.picks.hero}`;
}

async function make() {
  $("make-error").textContent = "";
  $("make").disabled = true;
  try {
    const data = await api("POST", "/api/make", state.picks);
    follow(data.job);
  } catch (e) {
    if (e.status === 403) { state.consent = false; say(e.message); showMake(); }
    else $("make-error").textContent = e.message;
  } finally {
    $("make").disabled = false;
  }
}

function follow(job) {
  state.job = job;
  say("");
  $("progress-error").textContent = "";
  $("progress-again").hidden = true;
  $("progress-title").textContent = "Making your story\u2026";
  renderStages(job);
  show("progress");
  poll();
}

async function poll() {
  const job = state.job;
  if (!job) return;
  try {
    state.job = (await api("GET", `/api/jobs/${job.id}`)).job;
  } catch (e) {
    $("progress-error").textContent = e.message;
    return;
  }
  renderStages(state.job);
  if (state.job.state === "done") return finished(state.job);
  if (state.job.state === "error" || state.job.state === "cancelled") {
    $("progress-title").textContent = "The story could not be made";
    $("progress-error").textContent = state.job.error;
    $("progress-again").hidden = false;
    return;
  }
  setTimeout(poll, POLL_MS);
}

async function finished(job) {
  const shelf = await loadShelf();
  const book = shelf.find((b) => b.name === job.book);
  openBook(book || {name: job.book, title: "Your story", url: `/books/${job.book}/book.html`});
}

function openBook(book) {
  if (!book.name) return;
  say("");  // the book gets the whole window; its title is the heading that takes focus
  $("viewer-title").textContent = book.title;
  $("book").src = book.url;
  $("book").dataset.book = book.name;
  show("viewer");
}

// ---------------------------------------------------------------- shelf

async function loadShelf() {
  const data = await api("GET", "/api/books");
  renderShelf(data.books);
  return data.books;
}

function renderShelf(books) {
  const list = $("shelf-list");
  list.replaceChildren();
  $("shelf-empty").hidden = books.length > 0;
  for (const b of books) {
    const p = b.picks;
    const cover = b.cover ? el("img", {src: b.cover, alt: `Cover of ${b.title}`, loading: "lazy"}) : null;
    const link = (kind, text) => el("a", {class: "button", href: b.downloads[kind], download: "", text});
    list.append(el("li", {class: "book", "data-book": b.name}, cover,
      el("h3", {text: b.title}),
      el("p", {class: "picks", text: `${p.adjective} ${p.color} ${p.hero} \u00b7 ${p.theme}`}),
      el("div", {class: "actions"},
        el("button", {type: "button", class: "big open", text: "Open", onclick: () => openBook(b)}),
        link("zip", "Download ZIP"), link("epub", "EPUB"), link("pdf", "PDF"),
        el("button", {type: "button", class: "danger-outline", text: "Delete",
          onclick: () => askDelete(b)}))));
  }
}

async function showShelf() {
  try { await loadShelf(); } catch (e) { say(e.message); }
  show("shelf");
}

function askDelete(book) {
  state.pendingDelete = book;
  $("delete-what").textContent = `\u201c${book.title}\u201d will be gone for good.`;
  $("confirm-delete").showModal();
}

async function confirmDelete() {
  const book = state.pendingDelete;
  $("confirm-delete").close();
  state.pendingDelete = null;
  if (!book) return;
  try {
    await api("DELETE", `/api/books/${encodeURIComponent(book.name)}`);
    say(`Deleted \u201c${book.title}\u201d.`);
    if ($("book").dataset.book === book.name) $("book").src = "about:blank";
  } catch (e) {
    say(e.message);
  }
  await showShelf();
}

// ---------------------------------------------------------------- start

async function start() {
  $("go-make").addEventListener("click", () => showMake());
  $("go-shelf").addEventListener("click", showShelf);
  $("consent-form").addEventListener("submit", giveConsent);
  $("make").addEventListener("click", make);
  $("back").addEventListener("click", () => {
    state.step = Math.max(0, state.step - 1); renderStep(); $("step-title").focus();
  });
  $("another").addEventListener("click", () => { state.picks = {}; state.step = 0; state.job = null; showMake(); });
  $("viewer-shelf").addEventListener("click", showShelf);
  $("progress-again").addEventListener("click", () => { state.job = null; showMake(); });
  $("delete-yes").addEventListener("click", confirmDelete);
  $("delete-no").addEventListener("click", () => { state.pendingDelete = null; $("confirm-delete").close(); });
  try {
    const [opts] = await Promise.all([api("GET", "/api/options"), loadConsent()]);
    state.opts = opts;
    const shelf = await api("GET", "/api/books");
    document.body.dataset.ready = "true";  // for tests and scripts: the page has its data
    if (shelf.making) { follow(shelf.making); return; }  // a reload while a book is being made
  } catch (e) {
    say(`The studio is not answering: ${e.message}`);
    return;
  }
  showMake(false);
}

document.addEventListener("DOMContentLoaded", start);
