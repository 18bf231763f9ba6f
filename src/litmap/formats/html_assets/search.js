// litmap reading-list page: instant search, category chips, the map's "We are here", copy buttons.
// Words are AND-ed and match the start of a word, ignoring case and accents; the state lives in
// the URL (#q=words&cat=id) so a search can be linked. No request is made: everything is in the page.
// A long list keeps each paper once in <template id="store"> and renders a few per section.
(function () {
  "use strict";
  const $ = (selector) => document.querySelector(selector);
  const all = (selector) => Array.from(document.querySelectorAll(selector));
  const search = $("#search");
  const count = $("#count");
  const empty = $("#empty");
  const main = $("#papers");
  const store = $("#store");
  const total = Number(main.dataset.total);
  const chips = all(".chip");
  const mapLinks = all("#map a[data-category]");
  const FIELDS = ".title, .authors, .year, .venue, .tags, .abstract-text";
  const FIRST = 20; // papers a section of a long list shows at first; "Show more" adds MORE
  const MORE = 100;

  const fold = (text) =>
    /^[\x00-\x7f]*$/.test(text)
      ? text.toLowerCase().replace(/[^a-z0-9]+/g, " ")
      : text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ");

  // The papers, once each (a paper listed in several sections is one paper), and each section's list.
  const papers = [];
  const position = new Map();
  function paperOf(el) {
    const key = el.dataset.key;
    if (!position.has(key)) {
      position.set(key, papers.length);
      const parts = [key];
      for (const field of el.querySelectorAll(FIELDS)) parts.push(field.textContent);
      papers.push({ el, text: fold(parts.join(" ")) });
    }
    return position.get(key);
  }
  if (store) for (const el of store.content.children) paperOf(el);
  const sections = all("section.category").map((el) => {
    const list = el.querySelector(".papers");
    const section = { el, list, more: el.querySelector(".more"), path: el.dataset.path.split(" ") };
    // ids: the papers listed (positions in `papers`); els: their elements (rendered on demand from the store).
    section.els = list && !store ? Array.from(list.children) : [];
    section.ids = !list ? [] : store ? list.dataset.papers.split(" ").map(Number) : section.els.map(paperOf);
    section.shown = section.els.map(() => true);
    section.matches = [];
    section.rendered = 0;
    return section;
  });

  // The index: each word of the papers, sorted, with the papers it is in; a prefix is a run of it.
  const postings = new Map();
  papers.forEach((paper, i) => {
    for (const word of paper.text.split(" ")) {
      const list = postings.get(word);
      if (!list) postings.set(word, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  });
  postings.delete("");
  const vocabulary = Array.from(postings.keys()).sort();
  const prefixCache = new Map();

  function withPrefix(prefix) {
    let marks = prefixCache.get(prefix);
    if (marks) return marks;
    marks = new Uint8Array(papers.length);
    let lo = 0;
    let hi = vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (vocabulary[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo; j < vocabulary.length && vocabulary[j].startsWith(prefix); j++) {
      for (const i of postings.get(vocabulary[j])) marks[i] = 1;
    }
    if (prefixCache.size > 64) prefixCache.clear();
    prefixCache.set(prefix, marks);
    return marks;
  }

  let words = [];
  let matched = null; // the papers matching `words` (null: no words), as positions
  let matchedFor = [];
  let category = "";

  function match() {
    if (!words.length) {
      matched = null;
      matchedFor = [];
      return;
    }
    // A query that extends the previous one (more letters or more words) narrows its result.
    const narrows = matched && matchedFor.length <= words.length && matchedFor.every((w, k) => words[k].startsWith(w));
    const marks = words.map(withPrefix);
    const from = narrows ? matched : papers.keys();
    matched = [];
    for (const i of from) if (marks.every((m) => m[i] === 1)) matched.push(i);
    matchedFor = words;
  }

  function apply() {
    match();
    const hit = matched && new Uint8Array(papers.length);
    if (hit) for (const i of matched) hit[i] = 1;
    const counted = new Uint8Array(papers.length);
    let found = 0;
    const live = new Set();
    for (const s of sections) {
      s.inScope = category === "" || s.path.includes(category);
      s.matches = [];
      if (!s.inScope) continue;
      s.ids.forEach((i, j) => {
        if (hit && !hit[i]) return;
        s.matches.push(j);
        if (!counted[i]) {
          counted[i] = 1;
          found += 1;
        }
      });
      if (s.matches.length) for (const id of s.path) live.add(id);
    }
    for (const s of sections) {
      const hide = !s.inScope || (words.length > 0 && !live.has(s.el.dataset.category));
      if (s.el.hidden !== hide) s.el.hidden = hide;
      if (!hide && s.list && !store) toggleList(s);
    }
    if (store) renderLists();
    const filtering = words.length > 0 || category !== "";
    main.classList.toggle("searching", words.length > 0);
    count.textContent = filtering ? `${found.toLocaleString("en")} of ${papersText(total)}` : papersText(total);
    empty.hidden = found > 0 || !filtering;
    const chosen = category ? document.getElementById("c-" + category) : null;
    const trail = chosen ? chosen.dataset.path.split(" ") : [];
    for (const chip of chips) {
      chip.setAttribute("aria-pressed", String(chip.dataset.category === category));
      if (chip.dataset.parent) chip.hidden = !trail.includes(chip.dataset.parent);
    }
    generation += 1;
    highlightOnScreen();
    spy();
  }

  const papersText = (n) => `${n.toLocaleString("en")} ${n === 1 ? "paper" : "papers"}`;

  // Every paper is in the page: hide those that stop matching, show those that start.
  function toggleList(s) {
    const show = new Uint8Array(s.ids.length);
    for (const j of s.matches) show[j] = 1;
    s.els.forEach((el, j) => {
      const shown = show[j] === 1;
      if (s.shown[j] !== shown) {
        s.shown[j] = shown;
        el.hidden = !shown;
      }
    });
  }

  // A long list: a section shows its first matches, rendered from the store once it comes near the
  // screen (the sections further down wait, empty, for the observer); "Show more" adds more.
  const sectionOf = new Map(sections.map((s) => [s.el, s]));
  const near =
    store &&
    new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const s = sectionOf.get(entry.target);
        if (entry.isIntersecting && s.pending) renderList(s);
      }
    }, { rootMargin: "100% 0px" });

  function renderLists() {
    let now = true;
    for (const s of sections) {
      if (s.el.hidden || !s.list) continue;
      now = now && s.el.getBoundingClientRect().top < 2 * innerHeight;
      if (now) {
        renderList(s);
        continue;
      }
      s.pending = true;
      if (s.rendered) s.list.replaceChildren();
      s.rendered = 0;
      s.more.hidden = true;
      near.unobserve(s.el);
      near.observe(s.el);
    }
  }

  function renderList(s) {
    s.pending = false;
    const first = s.matches.slice(0, FIRST);
    const same = s.rendered === first.length && first.every((j, k) => s.list.children[k] === s.els[j]);
    if (!same) {
      s.list.replaceChildren(...first.map((j) => elementOf(s, j)));
      s.rendered = first.length;
    }
    moreButton(s);
  }

  function showMore(s) {
    const next = s.matches.slice(s.rendered, s.rendered + MORE).map((j) => elementOf(s, j));
    s.list.append(...next);
    s.rendered += next.length;
    moreButton(s);
  }

  function moreButton(s) {
    const rest = s.matches.length - s.rendered;
    s.more.hidden = rest <= 0;
    s.more.textContent = `Show ${Math.min(rest, MORE)} more (${rest.toLocaleString("en")} not shown)`;
  }

  function elementOf(s, j) {
    if (!s.els[j]) {
      s.els[j] = document.importNode(papers[s.ids[j]].el, true);
      watch(s.els[j]);
    }
    return s.els[j];
  }

  // The URL keeps the state: #q=words&cat=id (a plain #anchor is left to the browser).
  function readHash() {
    const hash = location.hash.slice(1);
    if (!hash.includes("=")) return false;
    const params = new URLSearchParams(hash);
    search.value = params.get("q") || "";
    category = params.get("cat") || "";
    words = fold(search.value).split(" ").filter(Boolean);
    return true;
  }

  function writeHash() {
    clearTimeout(hashTimer);
    const params = new URLSearchParams();
    if (search.value.trim()) params.set("q", search.value.trim());
    if (category) params.set("cat", category);
    const hash = params.toString().replace(/\+/g, "%20");
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }

  // Typing: the page changes once per frame, however fast the keys come; the URL follows when typing pauses.
  let queued = false;
  let hashTimer = 0;
  search.addEventListener("input", () => {
    words = fold(search.value).split(" ").filter(Boolean);
    clearTimeout(hashTimer);
    hashTimer = setTimeout(writeHash, 300);
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      apply();
    });
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      search.value = "";
      search.dispatchEvent(new Event("input"));
    }
  });
  window.addEventListener("hashchange", () => {
    if (readHash()) apply();
  });
  for (const chip of chips) {
    chip.addEventListener("click", () => {
      category = chip.dataset.category === category ? "" : chip.dataset.category;
      main.scrollIntoView({ block: "start" });
      apply();
      writeHash();
    });
  }
  // A map link to a section the filters hide clears them first.
  for (const link of mapLinks) {
    link.addEventListener("click", () => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (target && target.hidden) {
        search.value = "";
        words = [];
        category = "";
        apply();
        writeHash();
      }
    });
  }

  // Highlight the typed words in the papers on screen (CSS Custom Highlight API; no DOM changes).
  const highlight = window.Highlight && CSS.highlights ? new Highlight() : null;
  if (highlight) {
    CSS.highlights.set("litmap-match", highlight);
    // Here rather than in the style sheet, whose checkers do not know ::highlight yet; a theme's rule wins.
    document.styleSheets[0].insertRule("::highlight(litmap-match) { background: var(--mark); color: inherit; }", 0);
  }
  const onScreen = new Set();
  const litIn = new WeakMap();
  let generation = 0;

  function highlightPaper(el) {
    if (!highlight || litIn.get(el) === generation) return;
    litIn.set(el, generation);
    if (!words.length) return;
    for (const field of el.querySelectorAll(FIELDS)) {
      const walker = document.createTreeWalker(field, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) markWords(node);
    }
  }

  function markWords(node) {
    const text = node.data;
    let folded = "";
    const origin = [];
    if (/^[\x20-\x7e\s]*$/.test(text)) {
      folded = text.toLowerCase().replace(/[^a-z0-9]/g, " "); // the same length: positions are the text's
    } else {
      for (let i = 0; i < text.length; i++) {
        const piece = fold(text[i]);
        for (let j = 0; j < piece.length; j++) {
          folded += piece[j];
          origin.push(i);
        }
      }
    }
    const at = (k) => (origin.length ? origin[k] : k);
    for (const word of words) {
      for (let k = folded.indexOf(word); k !== -1; k = folded.indexOf(word, k + 1)) {
        if (k > 0 && folded[k - 1] !== " ") continue;
        const range = new Range();
        range.setStart(node, at(k));
        range.setEnd(node, at(k + word.length - 1) + 1);
        highlight.add(range);
      }
    }
  }

  function highlightOnScreen() {
    if (!highlight) return;
    highlight.clear();
    for (const el of onScreen) if (el.isConnected && !el.hidden) highlightPaper(el);
  }

  const watcher =
    highlight && "IntersectionObserver" in window
      ? new IntersectionObserver((entries) => {
          for (const entry of entries) {
            if (entry.isIntersecting) {
              onScreen.add(entry.target);
              highlightPaper(entry.target);
            } else {
              onScreen.delete(entry.target);
            }
          }
        }, { rootMargin: "200px 0px" })
      : null;
  const watch = (el) => watcher && watcher.observe(el);
  for (const s of sections) s.els.forEach(watch);

  // The map marks the section in view, "We are here", and the categories above it.
  const linkOf = new Map(mapLinks.map((link) => [link.dataset.category, link]));
  let current = null;
  // Jumps to a section land below the sticky search bar, and the map counts from there.
  const toolbar = $(".toolbar");
  const pad = () => (document.documentElement.style.scrollPaddingTop = `${toolbar.offsetHeight + 8}px`);
  if ("ResizeObserver" in window) new ResizeObserver(pad).observe(toolbar);
  else window.addEventListener("resize", pad);
  pad();
  function spy() {
    let here = null;
    const line = toolbar.offsetHeight + 32;
    for (const s of sections) {
      if (s.el.hidden || !s.el.dataset.category) continue;
      if (s.el.getBoundingClientRect().top <= line) here = s.el;
      else if (here) break;
    }
    here = here || sections.map((s) => s.el).find((el) => !el.hidden && linkOf.has(el.dataset.category));
    if (here === current) return;
    current = here;
    for (const link of mapLinks) {
      link.removeAttribute("aria-current");
      link.classList.remove("trail");
    }
    if (!here) return;
    for (const id of here.dataset.path.split(" ")) linkOf.get(id)?.classList.add("trail");
    linkOf.get(here.dataset.category)?.setAttribute("aria-current", "location");
  }
  let spyQueued = false;
  window.addEventListener("scroll", () => {
    if (spyQueued) return;
    spyQueued = true;
    requestAnimationFrame(() => {
      spyQueued = false;
      spy();
    });
  }, { passive: true });

  // Disclosures (abstract, BibTeX), "Show more", and copying a paper's BibTeX entry.
  document.addEventListener("click", (event) => {
    const target = event.target.closest ? event.target : event.target.parentElement;
    const toggle = target.closest(".toggle");
    if (toggle) {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      toggle.nextElementSibling.hidden = !open;
      return;
    }
    const more = target.closest(".more");
    if (more) return showMore(sections.find((s) => s.more === more));
    const button = target.closest(".copy");
    if (button) copy(button);
  });

  function copy(button) {
    const pre = button.parentElement.querySelector("pre");
    const say = (text) => {
      button.textContent = text;
      setTimeout(() => (button.textContent = "Copy BibTeX"), 2000);
    };
    // Without the Clipboard API (or its permission), copy the selected entry, or leave it selected.
    const fallback = () => {
      const range = document.createRange();
      range.selectNodeContents(pre);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      say(document.execCommand("copy") ? "Copied" : "Selected: press Ctrl+C");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(pre.textContent).then(() => say("Copied"), fallback);
    } else {
      fallback();
    }
  }

  // On a phone the map starts folded.
  const map = $("#map details");
  if (map && matchMedia("(max-width: 56rem)").matches) map.open = false;

  readHash();
  apply();
})();
