// litmap reading-list page: instant search, category chips, the map's "We are here", copy buttons.
// Words are AND-ed and match the start of a word, ignoring case and accents; the state lives in
// the URL (#q=words&cat=id) so a search can be linked. No request is made: everything is in the page.
(function () {
  "use strict";
  const search = document.getElementById("search");
  const count = document.getElementById("count");
  const empty = document.getElementById("empty");
  const main = document.getElementById("papers");
  const total = Number(main.dataset.total);
  const sections = Array.from(document.querySelectorAll("section.category"));
  const chips = Array.from(document.querySelectorAll(".chip"));
  const mapLinks = Array.from(document.querySelectorAll("#map a[data-category]"));
  const FIELDS = ".title, .authors, .year, .venue, .tags, .abstract-text";

  const fold = (text) =>
    text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ");

  // One searchable text per paper (a paper listed in several sections is one paper).
  const items = [];
  const haystack = new Map();
  for (const section of sections) {
    const path = section.dataset.path.split(" ");
    for (const el of section.querySelectorAll(".paper")) {
      const key = el.dataset.key;
      if (!haystack.has(key)) {
        const parts = [key];
        for (const field of el.querySelectorAll(FIELDS)) parts.push(field.textContent);
        haystack.set(key, " " + fold(parts.join(" ")) + " ");
      }
      items.push({ el, key, section, path, shown: true });
    }
  }

  let words = [];
  let category = "";
  let generation = 0;

  function matches(key) {
    const text = haystack.get(key);
    for (const word of words) if (!text.includes(" " + word)) return false;
    return true;
  }

  function apply() {
    generation += 1;
    const found = new Map();
    const keysShown = new Set();
    const live = new Set();
    for (const item of items) {
      let shown = category === "" || item.path.includes(category);
      if (shown && words.length) {
        if (!found.has(item.key)) found.set(item.key, matches(item.key));
        shown = found.get(item.key);
      }
      if (shown !== item.shown) {
        item.el.hidden = !shown;
        item.shown = shown;
      }
      if (shown) {
        keysShown.add(item.key);
        for (const id of item.path) live.add(id);
      }
    }
    const filtering = words.length > 0 || category !== "";
    main.classList.toggle("searching", words.length > 0);
    for (const section of sections) {
      const inScope = category === "" || section.dataset.path.split(" ").includes(category);
      section.hidden = !inScope || (words.length > 0 && !live.has(section.dataset.category));
    }
    count.textContent = filtering
      ? `${keysShown.size.toLocaleString("en")} of ${papers(total)}`
      : papers(total);
    empty.hidden = keysShown.size > 0 || !filtering;
    const chosen = category ? document.getElementById("c-" + category) : null;
    const trail = chosen ? chosen.dataset.path.split(" ") : [];
    for (const chip of chips) {
      chip.setAttribute("aria-pressed", String(chip.dataset.category === category));
      if (chip.dataset.parent) chip.hidden = !trail.includes(chip.dataset.parent);
    }
    highlightOnScreen();
    pad();
    spy();
  }

  const papers = (n) => `${n.toLocaleString("en")} ${n === 1 ? "paper" : "papers"}`;

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
    const params = new URLSearchParams();
    if (search.value.trim()) params.set("q", search.value.trim());
    if (category) params.set("cat", category);
    const hash = params.toString().replace(/\+/g, "%20");
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }

  search.addEventListener("input", () => {
    words = fold(search.value).split(" ").filter(Boolean);
    apply();
    writeHash();
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
      apply();
      writeHash();
      main.scrollIntoView({ block: "start" });
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
  if (highlight) CSS.highlights.set("litmap-match", highlight);
  const onScreen = new Set();

  function highlightPaper(el) {
    if (!highlight || el.dataset.lit === String(generation)) return;
    el.dataset.lit = String(generation);
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
    for (let i = 0; i < text.length; i++) {
      const piece = fold(text[i]);
      for (let j = 0; j < piece.length; j++) {
        folded += piece[j];
        origin.push(i);
      }
    }
    for (const word of words) {
      for (let at = folded.indexOf(word); at !== -1; at = folded.indexOf(word, at + 1)) {
        if (at > 0 && folded[at - 1] !== " ") continue;
        const range = new Range();
        range.setStart(node, origin[at]);
        range.setEnd(node, origin[at + word.length - 1] + 1);
        highlight.add(range);
      }
    }
  }

  function highlightOnScreen() {
    if (!highlight) return;
    highlight.clear();
    for (const el of onScreen) if (!el.hidden) highlightPaper(el);
  }

  if (highlight && "IntersectionObserver" in window) {
    const watcher = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          onScreen.add(entry.target);
          highlightPaper(entry.target);
        } else {
          onScreen.delete(entry.target);
        }
      }
    }, { rootMargin: "200px 0px" });
    for (const item of items) watcher.observe(item.el);
  }

  // The map marks the section in view, "We are here", and the categories above it.
  const linkOf = new Map(mapLinks.map((link) => [link.dataset.category, link]));
  let current = null;
  // Jumps to a section land below the sticky search bar, and the map counts from there.
  const toolbar = document.querySelector(".toolbar");
  const pad = () => (document.documentElement.style.scrollPaddingTop = `${toolbar.offsetHeight + 8}px`);
  pad();
  window.addEventListener("resize", pad);
  function spy() {
    let here = null;
    const line = toolbar.offsetHeight + 32;
    for (const section of sections) {
      if (section.hidden || !section.dataset.category) continue;
      if (section.getBoundingClientRect().top <= line) here = section;
      else if (here) break;
    }
    here = here || sections.find((s) => !s.hidden && s.dataset.category && linkOf.has(s.dataset.category));
    if (here === current) return;
    current = here;
    for (const link of mapLinks) {
      link.removeAttribute("aria-current");
      link.classList.remove("trail");
    }
    if (!here) return;
    const path = here.dataset.path.split(" ");
    for (const id of path) linkOf.get(id)?.classList.add("trail");
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

  // Disclosures (abstract, BibTeX) and copying a paper's BibTeX entry.
  document.addEventListener("click", (event) => {
    const toggle = event.target.closest ? event.target.closest(".toggle") : null;
    if (toggle) {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      toggle.nextElementSibling.hidden = !open;
      return;
    }
    const button = event.target.closest ? event.target.closest(".copy") : null;
    if (!button) return;
    const text = button.parentElement.querySelector("pre").textContent;
    const done = () => {
      button.textContent = "Copied";
      setTimeout(() => (button.textContent = "Copy BibTeX"), 1500);
    };
    const fallback = () => {
      const selection = getSelection();
      const range = document.createRange();
      range.selectNodeContents(button.parentElement.querySelector("pre"));
      selection.removeAllRanges();
      selection.addRange(range);
      if (document.execCommand("copy")) done();
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  });

  // On a phone the map starts folded.
  const map = document.querySelector("#map details");
  if (map && matchMedia("(max-width: 56rem)").matches) map.open = false;

  readHash();
  apply();
})();
