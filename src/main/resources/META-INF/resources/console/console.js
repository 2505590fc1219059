/*
 * q2c-hub operations console: plain JavaScript over the hub's ops API, no build step and no external assets.
 * Routes are hash routes so the hub serves one static page: #/inbox?…, #/cases/{id}, #/sync/{id}, #/transaction/{id}.
 * Credentials live in sessionStorage (gone when the tab closes) and travel as HTTP Basic on each API call.
 */
(function () {
  'use strict';

  const CREDENTIALS = 'q2c.console.credentials';
  const PAGE_SIZE = 25;
  const $ = (id) => document.getElementById(id);

  const state = { user: null, filters: {}, page: 0, total: 0, items: [], selected: new Set(), summary: null };

  // ---------- API ----------

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(method, path, body) {
    const credentials = sessionStorage.getItem(CREDENTIALS);
    if (!credentials) { throw new ApiError(401, 'not signed in'); }
    const headers = { 'Authorization': 'Basic ' + credentials, 'Accept': 'application/json' };
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    // credentials 'omit': a refused password comes back as a 401 to this page instead of the browser's own login prompt.
    const response = await fetch(path, { method, headers, credentials: 'omit', body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) {
      signOut('Your session has ended or the credentials were refused. Please sign in again.');
      throw new ApiError(401, 'unauthorised');
    }
    const text = await response.text();
    const data = text ? safeJson(text) : null;
    if (response.status === 403) {
      throw new ApiError(403, 'Your role does not allow this action (403): it needs the operator role.');
    }
    if (!response.ok) {
      let message = (data && (data.error || data.message)) || ('The hub answered ' + response.status);
      if (data && Array.isArray(data.violations) && data.violations.length) {
        message += ': ' + data.violations.join('; ');
      }
      throw new ApiError(response.status, message);
    }
    return data;
  }

  function safeJson(text) {
    try { return JSON.parse(text); } catch (e) { return { error: text }; }
  }

  // ---------- helpers ----------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (value === null || value === undefined || value === false) { return; }
      if (key === 'class') { node.className = value; }
      else if (key === 'text') { node.textContent = value; }
      else if (key.startsWith('on')) { node.addEventListener(key.substring(2), value); }
      else { node.setAttribute(key, value === true ? '' : value); }
    });
    children.flat().forEach((child) => {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function badge(kind, value, testid) {
    return el('span', { class: 'badge ' + kind + '-' + value, 'data-testid': testid, text: value || '–' });
  }

  function replaceBadge(id, kind, value) {
    const fresh = badge(kind, value, id);
    fresh.id = id;
    $(id).replaceWith(fresh);
  }

  function when(iso) {
    if (!iso) { return '–'; }
    return new Date(iso).toLocaleString('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  }

  function ago(iso) {
    if (!iso) { return '–'; }
    const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
    if (minutes < 1) { return 'just now'; }
    if (minutes < 60) { return minutes + ' min ago'; }
    if (minutes < 48 * 60) { return Math.round(minutes / 60) + ' h ago'; }
    return Math.round(minutes / 1440) + ' d ago';
  }

  function show(message, text, kind) {
    if (!text) { message.hidden = true; message.textContent = ''; return; }
    message.textContent = text;
    message.className = 'message' + (kind ? ' ' + kind : '');
    message.hidden = false;
  }

  function pretty(text) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }

  /** A line diff (longest common subsequence): enough for payloads of a few hundred lines. */
  function lineDiff(before, after) {
    const a = before.split('\n');
    const b = after.split('\n');
    const lcs = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    const out = [];
    let i = 0; let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(['same', '  ' + a[i]]); i++; j++; }
      else if (lcs[i + 1][j] >= lcs[i][j + 1]) { out.push(['del', '- ' + a[i]]); i++; }
      else { out.push(['add', '+ ' + b[j]]); j++; }
    }
    while (i < a.length) { out.push(['del', '- ' + a[i++]]); }
    while (j < b.length) { out.push(['add', '+ ' + b[j++]]); }
    return out;
  }

  function isOperator() { return !!(state.user && state.user.operator); }

  function applyRole() {
    document.querySelectorAll('.operator-only').forEach((node) => {
      node.disabled = !isOperator();
      if (!isOperator()) { node.title = 'Needs the operator role'; }
    });
    $('viewer-note').hidden = isOperator();
  }

  // ---------- sign-in ----------

  async function signIn(event) {
    event.preventDefault();
    const username = $('signin-username').value.trim();
    const password = $('signin-password').value;
    sessionStorage.setItem(CREDENTIALS, btoa(unescape(encodeURIComponent(username + ':' + password))));
    try {
      state.user = await api('GET', '/api/console/me');
      $('signin-password').value = '';
      show($('signin-error'), null);
      if (!location.hash || location.hash === '#/' || location.hash === '#/signin') { location.hash = '#/inbox'; }
      route();
    } catch (e) {
      sessionStorage.removeItem(CREDENTIALS);
      show($('signin-error'), e.status === 401 ? 'Wrong username or password.' : e.message, 'error');
      showView('signin');
    }
  }

  function signOut(reason) {
    sessionStorage.removeItem(CREDENTIALS);
    state.user = null;
    showView('signin');
    show($('signin-error'), reason || null, reason ? 'error' : null);
  }

  function showView(name) {
    ['signin', 'inbox', 'case', 'sync', 'transaction'].forEach((view) => { $('view-' + view).hidden = view !== name; });
    const signedIn = name !== 'signin';
    $('nav').hidden = !signedIn;
    $('whoami').hidden = !signedIn;
    if (signedIn && state.user) {
      $('whoami-name').textContent = state.user.name;
      $('whoami-role').textContent = state.user.operator ? 'operator' : 'viewer';
    }
    $('nav-inbox').classList.toggle('active', name === 'inbox' || name === 'case');
    $('nav-sync').classList.toggle('active', name === 'sync');
    $('nav-transaction').classList.toggle('active', name === 'transaction');
  }

  // ---------- routing ----------

  async function route() {
    if (!sessionStorage.getItem(CREDENTIALS)) { showView('signin'); return; }
    if (!state.user) {
      try { state.user = await api('GET', '/api/console/me'); } catch (e) { return; }
    }
    const hash = location.hash || '#/inbox';
    const [path, query] = hash.substring(1).split('?');
    const caseMatch = path.match(/^\/cases\/(\d+)$/);
    const syncMatch = path.match(/^\/sync(?:\/(.+))?$/);
    const transactionMatch = path.match(/^\/transaction(?:\/(.+))?$/);
    if (caseMatch) {
      showView('case'); applyRole(); await loadCase(Number(caseMatch[1]));
    } else if (syncMatch) {
      showView('sync'); await loadSync(syncMatch[1] ? decodeURIComponent(syncMatch[1]) : null);
    } else if (transactionMatch) {
      showView('transaction'); await loadTransaction(transactionMatch[1] ? decodeURIComponent(transactionMatch[1]) : null);
    } else {
      showView('inbox'); applyRole(); readFilters(new URLSearchParams(query || '')); await loadInbox();
    }
  }

  // ---------- inbox ----------

  const FILTER_KEYS = ['status', 'class', 'capability', 'system', 'age', 'q', 'page'];

  function readFilters(params) {
    state.filters = {
      status: params.has('status') ? params.get('status') : 'OPEN',
      class: params.get('class') || '',
      capability: params.get('capability') || '',
      system: params.get('system') || '',
      age: params.get('age') || '',
      q: params.get('q') || ''
    };
    state.page = Number(params.get('page') || 0);
    $('filter-status').value = state.filters.status;
    $('filter-class').value = state.filters.class;
    $('filter-capability').value = state.filters.capability;
    $('filter-system').value = state.filters.system;
    $('filter-age').value = state.filters.age;
    $('filter-text').value = state.filters.q;
  }

  function filtersFromForm() {
    return {
      status: $('filter-status').value,
      class: $('filter-class').value,
      capability: $('filter-capability').value.trim(),
      system: $('filter-system').value.trim(),
      age: $('filter-age').value,
      q: $('filter-text').value.trim()
    };
  }

  function navigateInbox(filters, page) {
    const params = new URLSearchParams();
    FILTER_KEYS.forEach((key) => {
      const value = key === 'page' ? (page ? String(page) : '') : filters[key];
      if (key === 'status' || value) { params.set(key, value || ''); }
    });
    const target = '#/inbox?' + params.toString();
    if (location.hash === target) { route(); } else { location.hash = target; }
  }

  /** The API's query for the current filters; the age bucket becomes its [min, max) minutes. */
  function apiQuery(filters) {
    const params = new URLSearchParams();
    if (filters.status) { params.set('status', filters.status); }
    if (filters.class) { params.set('class', filters.class); }
    if (filters.capability) { params.set('capability', filters.capability); }
    if (filters.system) { params.set('system', filters.system); }
    if (filters.q) { params.set('q', filters.q); }
    const bucket = (state.summary ? state.summary.byAge : []).find((b) => b.bucket === filters.age);
    if (bucket) {
      if (bucket.minAgeMinutes > 0) { params.set('minAgeMinutes', bucket.minAgeMinutes); }
      if (bucket.maxAgeMinutes) { params.set('maxAgeMinutes', bucket.maxAgeMinutes); }
    }
    return params;
  }

  async function loadSummary() {
    const summary = await api('GET', '/api/exception-cases/summary');
    state.summary = summary;
    $('summary-open').textContent = summary.open;
    const chip = (key, value, count, testid) => el('button', {
      type: 'button',
      class: 'chip' + (count ? '' : ' zero') + (state.filters[key] === value ? ' active' : ''),
      'data-testid': testid,
      title: 'Show open cases: ' + value,
      onclick: () => navigateInbox(Object.assign({}, state.filters, { status: 'OPEN', [key]: state.filters[key] === value ? '' : value }), 0)
    }, el('span', { text: value }), el('span', { class: 'count', text: String(count) }));
    $('summary-class').replaceChildren(...Object.entries(summary.byClass)
      .map(([name, count]) => chip('class', name, count, 'summary-class-' + name)));
    const capabilities = Object.entries(summary.byCapability);
    $('summary-capability').replaceChildren(...(capabilities.length
      ? capabilities.map(([name, count]) => chip('capability', name, count, 'summary-capability-' + name))
      : [el('span', { class: 'muted', text: 'none open' })]));
    $('summary-age').replaceChildren(...summary.byAge.map((b) => chip('age', b.bucket, b.count, 'summary-age-' + b.bucket)));
    $('capability-list').replaceChildren(...capabilities.map(([name]) => el('option', { value: name })));
    $('system-list').replaceChildren(...Object.keys(summary.bySystem).map((name) => el('option', { value: name })));
    const ageSelect = $('filter-age');
    if (ageSelect.options.length === 1) {
      summary.byAge.forEach((b) => ageSelect.appendChild(el('option', { value: b.bucket, text: b.bucket })));
    }
    ageSelect.value = state.filters.age;
  }

  async function loadInbox() {
    show($('inbox-message'), null);
    $('bulk-confirm').hidden = true;
    try {
      await loadSummary();
      const params = apiQuery(state.filters);
      params.set('page', state.page);
      params.set('size', PAGE_SIZE);
      const page = await api('GET', '/api/exception-cases?' + params.toString());
      state.items = page.items;
      state.total = page.total;
      state.selected.clear();
      renderCases();
    } catch (e) {
      if (e.status !== 401) { show($('inbox-message'), e.message, 'error'); }
    }
  }

  function renderCases() {
    $('inbox-total').textContent = state.total;
    $('inbox-total-label').textContent = state.total === 1 ? 'case matches' : 'cases match';
    $('case-rows').replaceChildren(...state.items.map((c) => el('tr', { 'data-testid': 'case-row-' + c.id, 'data-case-id': c.id },
      el('td', { class: 'col-check' }, el('input', {
        type: 'checkbox', 'data-testid': 'select-case-' + c.id, 'aria-label': 'Select case ' + c.id,
        disabled: c.status !== 'OPEN',
        onchange: (e) => { if (e.target.checked) { state.selected.add(c.id); } else { state.selected.delete(c.id); } updateBulkButtons(); }
      })),
      el('td', {}, el('a', { href: '#/cases/' + c.id, 'data-testid': 'open-case-' + c.id, text: '#' + c.id })),
      el('td', {}, badge('status', c.status, 'row-status-' + c.id)),
      el('td', {}, badge('class', c.failureClass)),
      el('td', { text: c.capability }),
      el('td', { text: c.system }),
      el('td', {}, c.businessKey ? el('a', { href: '#/sync/' + encodeURIComponent(c.businessKey), title: 'Sync status of this record', text: c.businessKey }) : '–'),
      el('td', { class: 'error-cell' }, el('code', { text: c.errorCode }), el('span', { class: 'msg', title: c.errorMessage, text: c.errorMessage })),
      el('td', { class: 'num', text: String(c.occurrences) }),
      el('td', { title: when(c.lastSeen), text: ago(c.lastSeen) }),
      el('td', { text: c.team || '–' }),
      el('td', { text: c.owner || '–' })
    )));
    $('inbox-empty').hidden = state.items.length > 0;
    $('select-all').checked = false;
    const pages = Math.max(1, Math.ceil(state.total / PAGE_SIZE));
    $('page-info').textContent = 'Page ' + (state.page + 1) + ' of ' + pages;
    $('page-prev').disabled = state.page === 0;
    $('page-next').disabled = state.page + 1 >= pages;
    updateBulkButtons();
  }

  function updateBulkButtons() {
    $('replay-selected').textContent = 'Replay selected (' + state.selected.size + ')';
    $('replay-selected').disabled = !isOperator() || state.selected.size === 0;
    $('replay-all').disabled = !isOperator() || state.total === 0 || (state.filters.status && state.filters.status !== 'OPEN');
  }

  function confirmBulk(text, action) {
    $('bulk-confirm-text').textContent = text;
    $('bulk-confirm').hidden = false;
    $('bulk-confirm-yes').onclick = async () => { $('bulk-confirm').hidden = true; await action(); };
  }

  async function replaySelected() {
    const ids = Array.from(state.selected);
    confirmBulk('Replay ' + ids.length + ' selected case' + (ids.length === 1 ? '' : 's') + '?', async () => {
      let sent = 0; const refused = [];
      for (const id of ids) {
        try { await api('POST', '/api/exception-cases/' + id + '/replay', {}); sent++; } catch (e) { refused.push('#' + id + ': ' + e.message); }
      }
      await loadInbox();
      show($('inbox-message'), sent + ' replayed.' + (refused.length ? ' Not replayed: ' + refused.join('; ') : ''), refused.length ? 'error' : 'ok');
    });
  }

  async function replayAllMatching() {
    const params = apiQuery(Object.assign({}, state.filters, { status: 'OPEN' }));
    params.delete('status');
    confirmBulk('Replay every open case matching these filters (' + state.total + ')?', async () => {
      try {
        const answer = await api('POST', '/api/exception-cases/replay?' + params.toString());
        await loadInbox();
        show($('inbox-message'), answer.replayed + ' of ' + answer.matched + ' matching open cases replayed.', 'ok');
      } catch (e) { show($('inbox-message'), e.message, 'error'); }
    });
  }

  // ---------- case detail ----------

  let currentCase = null;
  let poll = null;
  let replayFollowed = null;

  async function loadCase(id) {
    if (poll) { clearTimeout(poll); poll = null; }
    if (!currentCase || currentCase.summary.id !== id) {
      show($('case-message'), null);
      $('edit-panel').hidden = true;
    }
    try {
      currentCase = await api('GET', '/api/exception-cases/' + id);
      renderCase(currentCase);
    } catch (e) {
      if (e.status !== 401) { show($('case-message'), e.message, 'error'); }
    }
  }

  function renderCase(detail) {
    const c = detail.summary;
    $('case-id').textContent = '#' + c.id;
    replaceBadge('case-status', 'status', c.status);
    replaceBadge('case-class', 'class', c.failureClass);
    $('case-error-code').textContent = c.errorCode;
    $('case-error-message').textContent = c.errorMessage;
    const facts = [
      ['Capability', c.capability], ['System', c.system],
      ['Business key', c.businessKey ? el('a', { href: '#/sync/' + encodeURIComponent(c.businessKey), 'data-testid': 'case-business-key', text: c.businessKey }) : '–'],
      ['Event type', c.eventType], ['Event id', c.eventId], ['Source topic', c.sourceTopic || 'HTTP ingress (not replayable)'],
      ['Occurrences', String(c.occurrences)], ['First seen', when(c.firstSeen)], ['Last seen', when(c.lastSeen)],
      ['Team', c.team || '–'], ['Owner', c.owner || 'unassigned']
    ];
    if (detail.discardReason) { facts.push(['Discarded because', detail.discardReason]); }
    $('case-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v || '–')]));

    const payload = detail.payload;
    $('payload-encoding').textContent = payload ? (payload.encoding === 'utf-8' ? 'as parked' : 'binary, shown as base64') : '';
    $('case-payload').textContent = payload ? (payload.encoding === 'utf-8' ? pretty(payload.content) : payload.content) : '(no payload kept)';

    const edits = detail.history.filter((h) => h.action === 'EDITED');
    $('diff-card').hidden = !(edits.length && payload && payload.encoding === 'utf-8');
    if (!$('diff-card').hidden) {
      const diff = lineDiff(pretty(payload.content), pretty(edits[edits.length - 1].detail));
      $('payload-diff').replaceChildren(...diff.map(([kind, line]) => el('span', { class: kind, text: line })));
    }

    // Event headers first; the broker's own transport headers are folded away, they rarely explain a failure.
    const headers = detail.headers || {};
    const row = (name) => el('tr', {}, el('td', { text: name }), el('td', { text: String(headers[name]) }));
    const names = Object.keys(headers).sort();
    const transport = names.filter((name) => name.startsWith('kafka.'));
    $('case-headers').replaceChildren(...names.filter((name) => !name.startsWith('kafka.')).map(row));
    $('case-transport-headers').hidden = transport.length === 0;
    $('transport-count').textContent = String(transport.length);
    $('case-transport-table').replaceChildren(...transport.map(row));
    $('case-history').replaceChildren(...detail.history.map((h, index) => el('li', { 'data-testid': 'history-' + index },
      el('span', { class: 'when', text: when(h.at) }),
      el('span', { class: 'what' }, badge('action', h.action, 'history-action-' + index)),
      el('span', { class: 'detail', text: h.actor + (h.detail ? ' · ' + (h.action === 'EDITED' ? 'payload edited (see the diff)' : h.detail) : '') }))));

    const settled = c.status === 'RESOLVED' || c.status === 'DISCARDED';
    ['action-replay', 'action-edit', 'action-replay-edited', 'action-discard', 'discard-reason', 'action-assign', 'assign-owner']
      .forEach((id) => { $(id).disabled = !isOperator() || (settled && id !== 'action-assign' && id !== 'assign-owner'); });
    if (c.status === 'REPLAYING') {
      replayFollowed = c.id;
      // The capability resolves (or parks again) asynchronously: follow the case until it settles.
      poll = setTimeout(() => loadCase(c.id), 1000);
    } else if (replayFollowed === c.id) {
      replayFollowed = null;
      if (c.status === 'RESOLVED') {
        show($('case-message'), 'Resolved: the replayed record went through ' + c.capability + '.', 'ok');
      } else if (c.status === 'OPEN') {
        show($('case-message'), 'The replay failed again and the case is open: see the history for the new error.', 'error');
      }
    }
  }

  async function caseAction(path, body, done) {
    const id = currentCase.summary.id;
    try {
      await api('POST', '/api/exception-cases/' + id + path, body);
      show($('case-message'), done, 'ok');
      $('edit-panel').hidden = true;
      await loadCase(id);
    } catch (e) {
      if (e.status !== 401) { show($('case-message'), e.message, 'error'); }
    }
  }

  function replayEdited() {
    let payload;
    try { payload = JSON.parse($('edit-payload').value); } catch (e) {
      show($('case-message'), 'The edited payload is not valid JSON: ' + e.message, 'error');
      return;
    }
    caseAction('/replay', { payload }, 'Replay sent with the edited payload; the case resolves when the capability succeeds.');
  }

  // ---------- sync status ----------

  async function loadSync(id) {
    show($('sync-message'), null);
    $('sync-result').replaceChildren();
    $('sync-id').value = id || '';
    if (!id) { return; }
    try {
      const answer = await api('GET', '/api/sync-status/' + encodeURIComponent(id));
      $('sync-result').replaceChildren(...answer.records.map(renderRecord));
    } catch (e) {
      if (e.status !== 401) { show($('sync-message'), e.message, e.status === 404 ? null : 'error'); }
    }
  }

  function renderRecord(record) {
    const open = record.openCases.length;
    return el('div', { class: 'sync-record', 'data-testid': 'sync-record' },
      el('div', { class: 'card' },
        el('h2', {}, 'Canonical id ', el('code', { 'data-testid': 'sync-canonical-id', text: record.canonicalId }),
          ' ', el('span', { class: 'muted small', text: record.objectType ? '(' + record.objectType + ')' : '(not in the cross-reference yet)' })),
        el('p', { 'data-testid': 'sync-verdict', class: open ? 'out-of-sync' : 'in-sync',
          text: open ? open + ' open exception case' + (open === 1 ? '' : 's') + ' for this record' : 'No open exception cases for this record' }),
        el('div', { class: 'sync-systems', 'data-testid': 'sync-systems' }, ...(record.systems.length ? record.systems.map((s) =>
          el('div', { class: 'system-box', 'data-testid': 'sync-system-' + s.system },
            el('div', { class: 'sys', text: s.system }), el('div', { class: 'ext', text: s.externalId }),
            el('div', { class: 'muted small', text: 'linked ' + when(s.linkedAt) }))) : [el('p', { class: 'muted', text: 'No system holds this record yet.' })]))),
      el('div', { class: 'grid-2' },
        el('div', { class: 'card' }, el('h2', { text: 'Ledger milestones' }),
          record.milestones.length ? el('ol', { class: 'history milestones', 'data-testid': 'sync-milestones' }, ...record.milestones.map((m) => el('li', {},
            el('span', { class: 'when', text: when(m.occurredAt) }), el('span', { class: 'what', text: m.milestone.replace(/^q2c\./, '').replace(/\.v\d+$/, '') }),
            el('span', { class: 'detail', text: m.source + ' · ' + m.eventId })))) : el('p', { class: 'muted', text: 'No milestone recorded.' })),
        el('div', { class: 'card' }, el('h2', { text: 'Open exception cases' }),
          open ? el('ol', { class: 'history cases-list', 'data-testid': 'sync-open-cases' }, ...record.openCases.map((c) => el('li', {},
            el('a', { href: '#/cases/' + c.id, text: '#' + c.id }), badge('status', c.status),
            el('span', { class: 'detail', text: c.capability + ' · ' + c.errorCode + ' · ' + c.errorMessage })))) : el('p', { class: 'muted', text: 'None.' }))));
  }

  // ---------- transaction (one quote-to-cash chain from the ledger) ----------

  async function loadTransaction(id) {
    show($('transaction-message'), null);
    $('transaction-result').replaceChildren();
    $('transaction-id').value = id || '';
    if (!id) { return; }
    try {
      const chain = await api('GET', '/api/ledger/' + encodeURIComponent(id));
      $('transaction-result').replaceChildren(renderChain(chain));
    } catch (e) {
      if (e.status !== 401) { show($('transaction-message'), e.message, e.status === 404 ? null : 'error'); }
    }
  }

  function seconds(s) {
    if (s === null || s === undefined) { return '–'; }
    if (s < 120) { return s.toFixed(1) + ' s'; }
    if (s < 7200) { return (s / 60).toFixed(1) + ' min'; }
    if (s < 172800) { return (s / 3600).toFixed(1) + ' h'; }
    return (s / 86400).toFixed(1) + ' d';
  }

  function renderChain(chain) {
    const done = chain.quoteToCashSeconds !== null && chain.quoteToCashSeconds !== undefined;
    return el('div', { class: 'sync-record', 'data-testid': 'transaction-chain' },
      el('div', { class: 'card' },
        el('h2', {}, 'Transaction ', el('code', { 'data-testid': 'transaction-key', text: chain.transactionKey }),
          chain.customerId ? el('span', { class: 'muted small', text: ' customer ' + chain.customerId }) : null),
        el('p', { 'data-testid': 'transaction-verdict', class: done ? 'in-sync' : 'out-of-sync',
          text: done ? 'Quote to cash in ' + seconds(chain.quoteToCashSeconds) : 'Not paid and applied yet' }),
        chain.otherChains.length ? el('p', { class: 'muted small', text: 'The id also names: ' + chain.otherChains.join(', ') }) : null),
      el('div', { class: 'grid-2' },
        el('div', { class: 'card' }, el('h2', { text: 'Milestones' }),
          el('ol', { class: 'history milestones', 'data-testid': 'transaction-milestones' }, ...chain.milestones.map((m) => el('li', { 'data-stage': m.stage || '' },
            el('span', { class: 'when', text: when(m.occurredAt) }),
            el('span', { class: 'what', 'data-testid': 'transaction-stage', text: m.stage || m.milestone.replace(/^q2c\./, '').replace(/\.v\d+$/, '') }),
            el('span', { class: 'detail', text: (m.businessKey || '') + ' · ' + m.source }))))),
        el('div', { class: 'card' }, el('h2', { text: 'Time per stage' }),
          chain.stages.length ? el('ol', { class: 'history', 'data-testid': 'transaction-stages' }, ...chain.stages.map((t) => el('li', {},
            el('span', { class: 'what', text: t.stage.replace(/_to_/, ' → ') }), el('span', { class: 'when', text: seconds(t.seconds) }),
            el('span', { class: 'detail', text: t.businessKey || '' })))) : el('p', { class: 'muted', text: 'No stage completed yet.' }))),
      el('div', { class: 'card' }, el('h2', { text: 'Ids in each system' }),
        el('div', { class: 'sync-systems', 'data-testid': 'transaction-ids' }, ...(chain.ids.length ? chain.ids.map((i) =>
          el('div', { class: 'system-box', 'data-testid': 'transaction-id-' + i.system },
            el('div', { class: 'sys', text: i.system + ' ' + i.objectType }), el('div', { class: 'ext', text: i.externalId }),
            el('div', { class: 'muted small', text: i.canonicalId }))) : [el('p', { class: 'muted', text: 'No system holds these records yet.' })]))));
  }

  // ---------- wiring ----------

  function wire() {
    $('signin-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', () => { signOut(); location.hash = '#/inbox'; });
    $('filters').addEventListener('submit', (e) => { e.preventDefault(); navigateInbox(filtersFromForm(), 0); });
    $('filter-reset').addEventListener('click', () => navigateInbox({ status: 'OPEN' }, 0));
    $('inbox-refresh').addEventListener('click', loadInbox);
    $('page-prev').addEventListener('click', () => navigateInbox(state.filters, Math.max(0, state.page - 1)));
    $('page-next').addEventListener('click', () => navigateInbox(state.filters, state.page + 1));
    $('select-all').addEventListener('change', (e) => {
      document.querySelectorAll('#case-rows input[type=checkbox]:not(:disabled)').forEach((box) => {
        box.checked = e.target.checked;
        const id = Number(box.closest('tr').dataset.caseId);
        if (box.checked) { state.selected.add(id); } else { state.selected.delete(id); }
      });
      updateBulkButtons();
    });
    $('replay-selected').addEventListener('click', replaySelected);
    $('replay-all').addEventListener('click', replayAllMatching);
    $('bulk-confirm-no').addEventListener('click', () => { $('bulk-confirm').hidden = true; });

    $('action-replay').addEventListener('click', () => caseAction('/replay', {}, 'Replay sent; the case resolves when the capability succeeds.'));
    $('action-edit').addEventListener('click', () => {
      const p = currentCase && currentCase.payload;
      $('edit-payload').value = p && p.encoding === 'utf-8' ? pretty(p.content) : '';
      $('edit-panel').hidden = false;
    });
    $('action-edit-cancel').addEventListener('click', () => { $('edit-panel').hidden = true; });
    $('action-replay-edited').addEventListener('click', replayEdited);
    $('action-discard').addEventListener('click', () => caseAction('/discard', { reason: $('discard-reason').value }, 'Case discarded.'));
    $('action-assign').addEventListener('click', () => caseAction('/assign', { owner: $('assign-owner').value }, 'Case assigned.'));

    $('sync-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const id = $('sync-id').value.trim();
      if (id) { location.hash = '#/sync/' + encodeURIComponent(id); }
    });
    $('transaction-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const id = $('transaction-id').value.trim();
      if (id) { location.hash = '#/transaction/' + encodeURIComponent(id); }
    });
    window.addEventListener('hashchange', route);
  }

  wire();
  route();
})();
