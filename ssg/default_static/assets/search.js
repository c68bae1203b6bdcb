// ssg's search page: finds posts in the static index ssg writes under /search/.
// Keys are made as ssg/content/search_terms.py makes them (Japanese as character pairs
// and single kanji, Latin words whole, all NFKC-folded and lower-cased); a query fetches
// only the shards holding its keys, then the entries of the results it shows.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.getAttribute("data-base");
  var shardCount = parseInt(script.getAttribute("data-shards"), 10) || 1;
  var ja = script.getAttribute("data-language") === "ja";
  var PAGE = 10;
  var JAPANESE_RUN = /[\u3005\u3006\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var KANJI = /[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var WORD = /[a-z0-9]+(?:[.&'\-][a-z0-9]+)*/g;
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var TITLE = 4;

  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-query");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var more = document.querySelector(".search-more");
  var shards = {};
  var docs = {};
  var current = 0; // the latest query's number: answers to older ones are dropped

  function fold(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  // The index keys of one query word: what search_terms.py would have made of it.
  function keysOf(word) {
    var keys = word.match(WORD) || [];
    var runs = word.match(JAPANESE_RUN) || [];
    runs.forEach(function (run) {
      var chars = Array.from(run);
      if (chars.length === 1) {
        if (KANJI.test(chars[0])) keys.push(chars[0]);
        return;
      }
      for (var i = 0; i + 1 < chars.length; i++) keys.push(chars[i] + chars[i + 1]);
    });
    return keys;
  }

  var CRC_TABLE = (function () {
    var table = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table.push(c >>> 0);
    }
    return table;
  })();

  function shardOf(key) {
    var bytes = new TextEncoder().encode(key);
    var crc = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return ((crc ^ 0xffffffff) >>> 0) % shardCount;
  }

  function fetchJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  function shard(number) {
    if (!shards[number]) shards[number] = fetchJson(base + "index/" + number + ".json");
    return shards[number];
  }

  function doc(number) {
    if (!docs[number]) docs[number] = fetchJson(base + "docs/" + number + ".json");
    return docs[number];
  }

  // A posting list: gaps as base-64 varints, 5 bits a character, 32 when more follow.
  // Each entry is a post's number times 8 plus the key's weight in it.
  function decode(text) {
    var entries = new Map();
    var value = 0, scale = 1, previous = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = ALPHABET.indexOf(text[i]);
      value += (digit & 31) * scale;
      if (digit & 32) {
        scale *= 32;
        continue;
      }
      previous += value;
      entries.set(Math.floor(previous / 8), previous % 8);
      value = 0;
      scale = 1;
    }
    return entries;
  }

  // Posts having every key of every word, best first: a word in the title, then how often
  // its keys occur, then the newest (numbers grow with the date).
  function rank(words, lists) {
    var scores = null;
    words.forEach(function (word) {
      var found = null;
      word.keys.forEach(function (key) {
        var postings = lists[key];
        var next = new Map();
        postings.forEach(function (weight, number) {
          if (found && !found.has(number)) return;
          var before = found ? found.get(number) : { body: 0, title: true };
          next.set(number, { body: before.body + (weight & 3), title: before.title && weight >= TITLE });
        });
        found = next;
      });
      var merged = new Map();
      found.forEach(function (score, number) {
        if (scores && !scores.has(number)) return;
        var add = score.body + (score.title ? 100 : 0);
        merged.set(number, (scores ? scores.get(number) : 0) + add);
      });
      scores = merged;
    });
    return Array.from(scores.entries())
      .sort(function (a, b) { return b[1] - a[1] || b[0] - a[0]; })
      .map(function (entry) { return entry[0]; });
  }

  function search(query) {
    var number = ++current;
    var words = fold(query).split(/\s+/).filter(Boolean).map(function (text) {
      return { text: text, keys: keysOf(text) };
    }).filter(function (word) { return word.keys.length > 0; });
    list.textContent = "";
    more.hidden = true;
    if (!words.length) {
      status.textContent = query.trim() ? (ja ? "検索できる語がありません（ひらがな1文字では探せません）。" : "Nothing to search for.") : "";
      return Promise.resolve();
    }
    var keys = Array.from(new Set([].concat.apply([], words.map(function (w) { return w.keys; }))));
    status.textContent = ja ? "検索中…" : "Searching…";
    return Promise.all(keys.map(function (key) { return shard(shardOf(key)); })).then(function (loaded) {
      if (number !== current) return;
      var lists = {};
      keys.forEach(function (key, i) { lists[key] = decode(loaded[i][key] || ""); });
      var results = rank(words, lists);
      // The status is the last thing to change: once it reports, the results are there.
      return show(words, results, 0, number).then(function () {
        if (number !== current) return;
        var q = query.trim();
        status.textContent = results.length
          ? (ja ? "「" + q + "」の検索結果: " + results.length + "件" : results.length + " results for “" + q + "”")
          : (ja ? "「" + q + "」に一致する記事はありません。" : "No posts match “" + q + "”.");
      });
    }).catch(function (error) {
      if (number === current) status.textContent = (ja ? "検索できませんでした: " : "Search failed: ") + error.message;
    });
  }

  // The results from `start` on, a page at a time. Within a page, posts where each word
  // stands as written come before those where only its character pairs all occur.
  function show(words, results, start, number) {
    var page = results.slice(start, start + PAGE);
    return Promise.all(page.map(doc)).then(function (entries) {
      if (number !== current) return;
      var shown = entries.map(function (entry, i) {
        var title = entry.t.normalize("NFKC"), text = entry.x.normalize("NFKC");
        var inTitle = fold(title), inText = text.toLowerCase();
        var exact = words.every(function (w) { return inTitle.indexOf(w.text) >= 0 || inText.indexOf(w.text) >= 0; });
        return { entry: entry, title: title, text: text, exact: exact, order: i };
      });
      shown.sort(function (a, b) { return (b.exact - a.exact) || (a.order - b.order); });
      shown.forEach(function (result) { list.appendChild(item(words, result)); });
      var next = start + PAGE;
      more.hidden = next >= results.length;
      more.onclick = function () { show(words, results, next, number); };
    });
  }

  function item(words, result) {
    var li = document.createElement("li");
    li.className = "search-result";
    var link = document.createElement("a");
    link.href = result.entry.u;
    marked(link, result.title, words);
    var heading = document.createElement("h2");
    heading.appendChild(link);
    var time = document.createElement("p");
    time.className = "search-date";
    time.textContent = result.entry.d;
    var snippet = document.createElement("p");
    snippet.className = "search-snippet";
    marked(snippet, excerpt(result.text, words), words);
    li.appendChild(heading);
    li.appendChild(time);
    li.appendChild(snippet);
    return li;
  }

  // About 120 characters of `text` around the first place a word occurs.
  function excerpt(text, words) {
    var lower = text.toLowerCase(), at = -1;
    words.forEach(function (w) {
      var found = lower.indexOf(w.text);
      if (found >= 0 && (at < 0 || found < at)) at = found;
    });
    if (at < 0) at = 0;
    var from = Math.max(0, at - 40), to = Math.min(text.length, at + 80);
    return (from > 0 ? "…" : "") + text.slice(from, to).replace(/\s+/g, " ") + (to < text.length ? "…" : "");
  }

  // `text` into `element`, each occurrence of a query word in a <mark>.
  function marked(element, text, words) {
    var lower = text.toLowerCase(), position = 0;
    while (position < text.length) {
      var at = -1, length = 0;
      words.forEach(function (w) {
        var found = lower.indexOf(w.text, position);
        if (found >= 0 && (at < 0 || found < at || (found === at && w.text.length > length))) {
          at = found;
          length = w.text.length;
        }
      });
      if (at < 0) break;
      element.appendChild(document.createTextNode(text.slice(position, at)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(at, at + length);
      element.appendChild(mark);
      position = at + length;
    }
    element.appendChild(document.createTextNode(text.slice(position)));
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 200);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    var url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    search(input.value);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
