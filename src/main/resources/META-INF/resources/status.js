'use strict';
// Berth's status page. Polls the REST API every 2 s (EventSource cannot send an Authorization
// header) and renders with textContent only: API strings are never parsed as HTML.
(() => {
  const POLL_MS = 2000;
  const EVENTS_SHOWN = 20;
  const TOKEN_KEY = 'berth.token';
  const ACTIONS = [
    ['restart', 'Restart', 'Replace every replica, rolling, with the same spec'],
    ['rollback', 'Rollback', 'Roll back to the previous good revision (holds until the manifest changes)'],
    ['pause', 'Pause', 'Pause the rollout in progress'],
    ['resume', 'Resume', 'Resume a paused rollout'],
    ['retry', 'Retry', 'Try the failed revision again'],
  ];
  const PHASES = ['Progressing', 'Available', 'Degraded', 'Waiting', 'Completed', 'Failed', 'RolledBack', 'Paused'];
  const ACTIVE_ROLLOUT = ['PROGRESSING', 'ROLLING_BACK', 'PAUSED'];

  const $ = (id) => document.getElementById(id);
  const rows = new Map();           // service name → row parts
  const actionResults = new Map();  // service name → {text, ok}: survives re-rendering
  let timer = null;
  let busy = false;
  let again = false;

  const token = () => sessionStorage.getItem(TOKEN_KEY) || '';

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // Instants come with nanoseconds; Date wants milliseconds at most.
  function time(iso) {
    if (!iso) return null;
    const d = new Date(String(iso).replace(/(\.\d{3})\d+/, '$1'));
    return isNaN(d) ? String(iso) : d.toLocaleTimeString();
  }

  async function api(method, path) {
    const headers = { Accept: 'application/json' };
    if (token()) headers.Authorization = 'Bearer ' + token();
    const res = await fetch(path, { method, headers, cache: 'no-store' });
    let body = null;
    try { body = await res.json(); } catch (e) { /* an empty or non-JSON answer */ }
    return { status: res.status, body };
  }

  function notice(text, kind) {
    const n = $('notice');
    n.hidden = !text;
    n.className = 'notice ' + (kind || '');
    n.textContent = text || '';
  }

  // ---- services ----

  function makeRow(name) {
    const tr = el('tr');
    tr.dataset.service = name;
    const cell = (cls) => { const td = el('td', cls); tr.appendChild(td); return td; };
    const row = {
      tr, name: cell('name'), phase: cell('phase'), revision: cell('revision'), image: cell('image'),
      replicas: cell('replicas'), rollout: cell('rollout'), health: cell('health'), error: cell('error'),
      actions: cell('actions actions-col'), buttons: null, result: el('div', 'action-result'),
    };
    row.actions.appendChild(row.result);
    return row;
  }

  function fillRow(row, s) {
    row.name.replaceChildren(el('strong', null, s.name), el('div', 'muted small', s.source));

    const badge = el('span', 'badge phase-' + (PHASES.includes(s.phase) ? s.phase : 'unknown'), s.phase);
    badge.title = 'since ' + (s.since || '?');
    row.phase.replaceChildren(badge);
    if (s.message) row.phase.appendChild(el('div', 'small', s.message));

    row.revision.textContent = s.revision;
    row.image.replaceChildren(el('code', null, s.image));
    if (s.imageDigest) row.image.title = s.imageDigest;

    const r = s.replicas || {};
    row.replicas.textContent = `${r.desired} / ${r.ready} / ${r.running}`;

    fillRollout(row.rollout, s);
    fillHealth(row.health, s.containers || []);

    row.error.replaceChildren();
    if (s.lastError) {
      row.error.appendChild(el('div', 'error-text', s.lastError));
      row.error.appendChild(el('div', 'muted small', time(s.lastErrorAt)));
    } else {
      row.error.appendChild(el('span', 'muted', '—'));
    }

    fillActions(row);
  }

  function fillRollout(td, s) {
    td.replaceChildren();
    const ro = s.rollout;
    const active = ro && ACTIVE_ROLLOUT.includes(ro.state);
    if (ro) {
      const from = ro.fromRevision == null ? 'new' : 'r' + ro.fromRevision;
      td.appendChild(el('div', active ? 'rollout-state active' : 'rollout-state muted', `${from} → r${ro.toRevision} ${ro.state}`));
    }
    if (active) {
      const r = s.replicas || {};
      const bar = el('progress');
      bar.max = Math.max(r.desired || 0, 1);
      bar.value = Math.min(r.updated || 0, bar.max);
      td.appendChild(bar);
      td.appendChild(el('span', 'small nowrap', ` ${r.updated} of ${r.desired} updated`));
      if (ro.reason) td.appendChild(el('div', 'muted small', ro.reason));
    }
    // Per-revision counts while a rollout runs, or while old and new revisions both run.
    const present = (s.revisions || []).filter((rc) => active || rc.running > 0);
    if (active || present.length > 1) {
      const ul = el('ul', 'revisions');
      for (const rc of present) {
        ul.appendChild(el('li', null, `r${rc.revision}: ${rc.running} running, ${rc.ready} ready`));
      }
      td.appendChild(ul);
    }
    if (!td.firstChild) td.appendChild(el('span', 'muted', '—'));
  }

  function fillHealth(td, containers) {
    td.replaceChildren();
    for (const c of containers) {
      const state = c.health || c.state || '?';
      const chip = el('span', 'chip health-' + String(state).toLowerCase(), `r${c.revision}-${c.ordinal} ${state}`);
      chip.title = c.name + ' (' + c.state + (c.exitCode != null ? ', exit ' + c.exitCode : '') + ')'
          + (c.lastProbeError ? ': ' + c.lastProbeError : '');
      td.appendChild(chip);
    }
    if (!containers.length) td.appendChild(el('span', 'muted', 'no containers'));
  }

  function fillActions(row) {
    const canAct = !!token();
    if (canAct && !row.buttons) {
      row.buttons = el('div', 'buttons');
      for (const [action, label, help] of ACTIONS) {
        const b = el('button', 'action', label);
        b.type = 'button';
        b.dataset.action = action;
        b.title = help;
        b.addEventListener('click', () => act(row, action, label));
        row.buttons.appendChild(b);
      }
      row.actions.insertBefore(row.buttons, row.result);
    } else if (!canAct && row.buttons) {
      row.buttons.remove();
      row.buttons = null;
    }
    const res = actionResults.get(row.tr.dataset.service);
    row.result.className = 'action-result small ' + (res ? (res.ok ? 'ok' : 'refused') : '');
    row.result.textContent = res ? res.text : '';
  }

  function renderServices(list) {
    const tbody = $('services').tBodies[0];
    const seen = new Set();
    list.forEach((s, i) => {
      seen.add(s.name);
      let row = rows.get(s.name);
      if (!row) {
        row = makeRow(s.name);
        rows.set(s.name, row);
      }
      fillRow(row, s);
      // Move a row only when the order changed, so a button under the mouse stays put.
      if (tbody.children[i] !== row.tr) tbody.insertBefore(row.tr, tbody.children[i] || null);
    });
    for (const [name, row] of rows) {
      if (!seen.has(name)) {
        row.tr.remove();
        rows.delete(name);
      }
    }
    $('no-services').hidden = list.length > 0;
  }

  function clearServices() {
    renderServices([]);
    $('no-services').hidden = true;
    $('events').tBodies[0].replaceChildren();
    $('problems-section').hidden = true;
  }

  async function act(row, action, label) {
    const name = row.tr.dataset.service;
    const buttons = row.buttons ? [...row.buttons.children] : [];
    buttons.forEach((b) => { b.disabled = true; });
    actionResults.set(name, { text: `${label}: sending…`, ok: true });
    fillActions(row);
    let result;
    try {
      const r = await api('POST', `/api/v1/services/${encodeURIComponent(name)}/${action}`);
      const b = r.body || {};
      if (r.status === 202) {
        result = { ok: true, text: `${label}: accepted (202)` + (b.phase ? `, now ${b.phase} at revision ${b.revision}` : '')
            + (b.message ? ': ' + b.message : '') };
      } else {
        result = { ok: false, text: `${label}: refused (${r.status}): ${b.message || 'no message'}` };
      }
    } catch (e) {
      result = { ok: false, text: `${label}: failed: ${e.message}` };
    }
    actionResults.set(name, result);
    buttons.forEach((b) => { b.disabled = false; });
    fillActions(row);
    tick();
  }

  // ---- events and problems ----

  function renderEvents(events) {
    const tbody = $('events').tBodies[0];
    const last = events.slice(-EVENTS_SHOWN).reverse();
    tbody.replaceChildren(...last.map((e) => {
      const tr = el('tr', e.type === 'Warning' ? 'warning' : null);
      const when = el('td', 'time', time(e.time));
      when.title = e.time;
      tr.append(when, el('td', null, e.service || '—'), el('td', 'type', e.type), el('td', null, e.reason),
          el('td', null, e.message));
      return tr;
    }));
    if (!last.length) {
      const tr = el('tr');
      const td = el('td', 'muted', 'No events yet.');
      td.colSpan = 5;
      tr.appendChild(td);
      tbody.appendChild(tr);
    }
  }

  function renderProblems(p) {
    const items = (p.problems || []).map((x) =>
      el('li', null, `${x.file}${x.line ? ':' + x.line : ''}${x.field ? ' ' + x.field : ''}: ${x.message}`));
    if (p.refusal) items.unshift(el('li', 'error-text', 'Refused: ' + p.refusal));
    if (p.engineError) items.unshift(el('li', 'error-text', 'Engine refused a network or volume: ' + p.engineError));
    $('problems').replaceChildren(...items);
    $('problems-section').hidden = items.length === 0;
  }

  // ---- polling ----

  async function refresh() {
    const hasToken = !!token();
    document.body.classList.toggle('read-only', !hasToken);
    $('mode').textContent = hasToken ? 'token set: actions enabled' : 'read-only';
    $('token').placeholder = hasToken ? 'token set for this tab' : 'paste the bearer token to act';
    try {
      const [services, events, problems] = await Promise.all(
          [api('GET', '/api/v1/services'), api('GET', '/api/v1/events?limit=' + EVENTS_SHOWN), api('GET', '/api/v1/problems')]);
      if (services.status === 401) {
        clearServices();
        notice(hasToken
            ? 'Berth answered 401 Unauthorized: the token is not valid (' + ((services.body || {}).message || '') + '). Paste it again.'
            : 'Reads need the API token: Berth answered 401 Unauthorized. Paste the token (berth.api.token, or the file '
              + '<state-dir>/api-token) into the field above, or run Berth with berth.api.open-reads=true to let '
              + 'this page read without one.', 'error');
      } else if (services.status !== 200) {
        notice(`GET /api/v1/services answered ${services.status}: ${(services.body || {}).message || ''}`, 'error');
      } else {
        notice(null);
        renderServices(services.body);
        if (events.status === 200) renderEvents(events.body);
        if (problems.status === 200) renderProblems(problems.body);
      }
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      notice('Cannot reach Berth (' + e.message + '); trying again every 2 s.', 'error');
      $('updated').textContent = 'not connected';
    }
  }

  async function tick() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    clearTimeout(timer);
    try {
      await refresh();
    } finally {
      busy = false;
      if (again) {
        again = false;
        tick();
      } else {
        timer = setTimeout(tick, POLL_MS);
      }
    }
  }

  $('token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = $('token').value.trim();
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    $('token').value = '';
    tick();
  });
  $('token-forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    actionResults.clear();
    tick();
  });
  tick();
})();
