/* The local chat page: plays the Microsoft Teams channel for the bot on this machine.
   Sends what the user types as Teams activities to /api/messages, receives the bot's activities from the
   local connector (Server-Sent Events), renders cards with the official Adaptive Cards renderer and sends
   button clicks as Teams does (adaptiveCard/action invokes, Action.Submit messages). */
(function () {
  'use strict';

  const AC = window.AdaptiveCards;
  const md = window.markdownit({ html: false, linkify: false, breaks: true });
  const defaultLinkOpen =
    md.renderer.rules.link_open || ((tokens, i, options, env, self) => self.renderToken(tokens, i, options));
  md.renderer.rules.link_open = (tokens, i, options, env, self) => {
    tokens[i].attrSet('target', '_blank');
    tokens[i].attrSet('rel', 'noopener noreferrer');
    return defaultLinkOpen(tokens, i, options, env, self);
  };
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = md.render(text);
    result.didProcess = true;
  };

  const el = (id) => document.getElementById(id);
  const messages = el('messages');
  const input = el('input');
  const picker = el('language');
  const status = el('status');

  const random = Math.random().toString(36).slice(2, 10);
  const conversation = { id: `a:dev-${random}`, conversationType: 'personal', tenantId: 'dev-tenant' };
  const user = {
    id: `29:dev-user-${random}`,
    name: 'Developer',
    aadObjectId: '00000000-0000-4000-8000-000000000001',
  };
  const bot = { id: '28:acrcheck-dev', name: 'acrcheck' };
  const serviceUrl = `${location.origin}/dev/connector/`;
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

  const shownChars = 4000;
  let strings = {};
  let hostConfig = null;
  let counter = 0;
  let connected = false;

  picker.value = localStorage.getItem('acrcheck.locale') || 'en-US';

  function t(key, values) {
    let text = strings[key] || key;
    for (const [name, value] of Object.entries(values || {}))
      text = text.split(`{{${name}}}`).join(String(value));
    return text;
  }

  async function loadStrings() {
    const response = await fetch(`/dev/strings/${encodeURIComponent(picker.value)}`);
    const body = await response.json();
    strings = body.strings;
    document.documentElement.lang = picker.value;
    document.title = t('title');
    el('title').textContent = t('title');
    el('subtitle').textContent = t('subtitle');
    el('language-label').textContent = t('language');
    el('hint').textContent = t('hint');
    el('send').textContent = t('send');
    input.placeholder = t('placeholder');
    relabelMessageActions();
    setStatus(connected ? 'connected' : 'connecting', !connected);
  }

  function setStatus(key, offline) {
    status.textContent = t(key);
    status.classList.toggle('offline', !!offline && key === 'disconnected');
  }

  /** The fields every activity from "Teams" carries. */
  function envelope(type) {
    const locale = picker.value;
    return {
      type,
      id: `dev-${++counter}`,
      timestamp: new Date().toISOString(),
      localTimestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl,
      from: user,
      recipient: bot,
      conversation,
      channelData: { tenant: { id: conversation.tenantId } },
      locale,
      entities: [{ type: 'clientInfo', locale, country: locale.slice(-2), platform: 'Web', timezone }],
    };
  }

  async function post(activity) {
    const response = await fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  function escapeHtml(text) {
    return text.replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
    );
  }

  /** A message as Teams delivers it: `<…>` spans dropped from `text`, the full message in a text/html attachment. */
  function teamsMessage(value) {
    const activity = envelope('message');
    activity.text = value.replace(/<[^>]*>/g, '');
    activity.textFormat = 'plain';
    const html = value
      .split('\n')
      .map((line) => escapeHtml(line))
      .join('<br>');
    activity.attachments = [{ contentType: 'text/html', content: `<p>${html}</p>` }];
    return activity;
  }

  function scrollDown() {
    messages.scrollTop = messages.scrollHeight;
  }

  function addUserMessage(text, activity) {
    const wrap = document.createElement('div');
    wrap.className = 'message user';
    wrap.dataset.id = activity.id;
    wrap.sentActivity = activity;
    const who = document.createElement('div');
    who.className = 'who';
    who.textContent = t('you');
    const bubble = document.createElement('pre');
    bubble.className = 'bubble';
    // A paste of megabytes on one line would take the browser minutes to lay out: show its start. What was sent
    // (and what the message action sends) is the whole text, kept in the activity.
    bubble.textContent = text.length > shownChars ? text.slice(0, shownChars) : text;
    wrap.append(who, bubble);
    if (text.length > shownChars) {
      const cut = document.createElement('div');
      cut.className = 'cut';
      cut.textContent = t('cut', { shown: shownChars, total: text.length });
      wrap.append(cut);
    }
    messages.append(wrap);
    addMoreActions(wrap);
    scrollDown();
  }

  function notice(wrap, text, isError) {
    let line = wrap.querySelector('.notice');
    if (!line) {
      line = document.createElement('div');
      wrap.append(line);
    }
    line.className = isError ? 'notice error' : 'notice';
    line.textContent = text;
  }

  function renderCard(json, wrap) {
    const card = new AC.AdaptiveCard();
    card.hostConfig = hostConfig;
    card.onExecuteAction = (action) => onAction(action, wrap);
    card.parse(json);
    const node = card.render();
    const holder = document.createElement('div');
    holder.className = 'card';
    holder.append(node);
    return holder;
  }

  /** Draws (or redraws, for an update) the bot's activity `activity` into `wrap`. */
  function fill(wrap, activity) {
    wrap.lastActivity = activity;
    wrap.querySelectorAll('.card, .text').forEach((n) => n.remove());
    const parts = [];
    if (activity.text) {
      const text = document.createElement('div');
      text.className = 'text';
      text.innerHTML = md.render(activity.text);
      parts.push(text);
    }
    for (const attachment of activity.attachments || []) {
      if (attachment.contentType === 'application/vnd.microsoft.card.adaptive')
        parts.push(renderCard(attachment.content, wrap));
    }
    const who = wrap.querySelector('.who');
    who.after(...parts);
  }

  function addBotMessage(activity) {
    const wrap = document.createElement('div');
    wrap.className = 'message bot';
    wrap.dataset.id = activity.id;
    const who = document.createElement('div');
    who.className = 'who';
    who.textContent = t('bot');
    wrap.append(who);
    fill(wrap, activity);
    addMoreActions(wrap);
    messages.append(wrap);
    scrollDown();
  }

  function updateBotMessage(activity) {
    const wrap = messages.querySelector(`.message.bot[data-id="${CSS.escape(activity.id)}"]`);
    if (!wrap) return;
    wrap.dataset.updates = String(Number(wrap.dataset.updates || 0) + 1);
    fill(wrap, activity);
  }

  /** A click on a card button, sent the way the Teams client sends it. */
  async function onAction(action, wrap) {
    const replyToId = wrap.dataset.id;
    if (action instanceof AC.OpenUrlAction) {
      window.open(action.url, '_blank', 'noopener');
      return;
    }
    if (action instanceof AC.ExecuteAction) {
      const activity = envelope('invoke');
      activity.name = 'adaptiveCard/action';
      activity.replyToId = replyToId;
      activity.value = {
        action: { type: 'Action.Execute', id: action.id, verb: action.verb, data: action.data },
        trigger: 'manual',
      };
      const updatesBefore = wrap.dataset.updates;
      const { status: code, body } = await post(activity);
      if (code !== 200 || !body) {
        notice(wrap, t('failed', { status: code }), true);
      } else if (body.type === 'application/vnd.microsoft.card.adaptive') {
        // An update (PUT) that arrived while the invoke was on its way is newer than the invoke's card.
        if (wrap.dataset.updates === updatesBefore)
          fill(wrap, { attachments: [{ contentType: body.type, content: body.value }] });
      } else if (body.type === 'application/vnd.microsoft.activity.message') {
        notice(wrap, String(body.value), false);
      } else {
        notice(wrap, t('failed', { status: body.statusCode || code }), true);
      }
      return;
    }
    if (action instanceof AC.SubmitAction) {
      const activity = envelope('message');
      activity.replyToId = replyToId;
      activity.value = action.data;
      const { status: code } = await post(activity);
      if (code !== 200) notice(wrap, t('failed', { status: code }), true);
    }
  }

  /* "Diagnose with acrcheck" (the app's message action) on any message, as Teams offers it under
     More actions: the page sends the composeExtension/fetchTask invoke Teams sends, with the message in
     messagePayload, shows the dialog the bot answers with, sends composeExtension/submitAction for the
     dialog's button, and puts a returned card into the compose box, from where Send shares it. */
  const messageAction = { commandId: 'diagnose', dialog: null, payload: null, composed: null };

  /** The message as Teams puts it into `messagePayload` (Graph's chatMessage fields). */
  function messagePayload(wrap) {
    const sent = wrap.sentActivity;
    const shown = wrap.lastActivity || {};
    const id = wrap.dataset.id || `dev-${++counter}`;
    const payload = {
      id,
      replyToId: null,
      createdDateTime: (sent && sent.timestamp) || shown.timestamp || new Date().toISOString(),
      lastModifiedDateTime: null,
      deleted: false,
      subject: null,
      summary: null,
      importance: 'normal',
      locale: 'en-us',
      linkToMessage: `${location.origin}/dev#${encodeURIComponent(id)}`,
      from: { device: null, conversation: null, user: null, application: null },
      reactions: [],
      mentions: [],
      attachments: [],
    };
    if (sent) {
      const html = (sent.attachments || []).find((a) => a.contentType === 'text/html');
      payload.body = { contentType: 'html', content: html ? html.content : escapeHtml(sent.text || '') };
      payload.from.user = { userIdentityType: 'aadUser', id: user.aadObjectId, displayName: user.name };
    } else {
      // A card message: Teams keeps only a placeholder in the body and the card, as JSON text, in attachments.
      const cards = (shown.attachments || []).filter(
        (a) => a.contentType === 'application/vnd.microsoft.card.adaptive',
      );
      payload.body = {
        contentType: 'html',
        content: [
          shown.text ? `<p>${escapeHtml(shown.text)}</p>` : '',
          ...cards.map((_, i) => `<attachment id="${id}-${i}"></attachment>`),
        ].join(''),
      };
      payload.attachments = cards.map((a, i) => ({
        id: `${id}-${i}`,
        contentType: a.contentType,
        content: JSON.stringify(a.content),
        name: null,
      }));
      payload.from[wrap.classList.contains('bot') ? 'application' : 'user'] = wrap.classList.contains('bot')
        ? { applicationIdentityType: 'bot', id: bot.id, displayName: bot.name }
        : { userIdentityType: 'aadUser', id: user.aadObjectId, displayName: user.name };
    }
    return payload;
  }

  function messageActionInvoke(name, extra) {
    const activity = envelope('invoke');
    activity.name = name;
    activity.channelData.source = { name: 'message' };
    activity.value = Object.assign(
      {
        commandId: messageAction.commandId,
        commandContext: 'message',
        requestId: Math.random().toString(16).slice(2),
        context: { theme: 'default' },
        messagePayload: messageAction.payload,
      },
      extra,
    );
    return activity;
  }

  function closeMenus() {
    messages.querySelectorAll('.action-menu').forEach((menu) => menu.remove());
    messages
      .querySelectorAll('.more-actions[aria-expanded="true"]')
      .forEach((b) => b.setAttribute('aria-expanded', 'false'));
  }

  /** The "…" button every message gets, opening Teams' More actions menu with the app's action. */
  function addMoreActions(wrap) {
    const more = document.createElement('button');
    more.type = 'button';
    more.className = 'more-actions';
    more.textContent = '…';
    more.setAttribute('aria-haspopup', 'menu');
    more.setAttribute('aria-expanded', 'false');
    more.setAttribute('aria-label', t('moreActions'));
    more.title = t('moreActions');
    more.addEventListener('click', (event) => {
      event.stopPropagation();
      const open = more.getAttribute('aria-expanded') === 'true';
      closeMenus();
      if (open) return;
      const menu = document.createElement('div');
      menu.className = 'action-menu';
      menu.setAttribute('role', 'menu');
      const item = document.createElement('button');
      item.type = 'button';
      item.setAttribute('role', 'menuitem');
      item.textContent = t('diagnose');
      item.addEventListener('click', () => {
        closeMenus();
        diagnoseMessage(wrap);
      });
      menu.append(item);
      more.after(menu);
      more.setAttribute('aria-expanded', 'true');
      item.focus();
    });
    wrap.querySelector('.who').append(more);
  }

  function relabelMessageActions() {
    messages.querySelectorAll('.more-actions').forEach((b) => {
      b.setAttribute('aria-label', t('moreActions'));
      b.title = t('moreActions');
    });
    if (messageAction.dialog)
      messageAction.dialog.querySelector('.dialog-close').setAttribute('aria-label', t('close'));
    const pending = el('composed');
    if (pending) {
      pending.querySelector('.composed-label').textContent = t('composed');
      pending.querySelector('.composed-remove').setAttribute('aria-label', t('removeCard'));
    }
  }

  function buildMessageActionUi() {
    const backdrop = document.createElement('div');
    backdrop.className = 'dialog-backdrop';
    backdrop.hidden = true;
    backdrop.innerHTML =
      '<section class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title">' +
      '<header class="dialog-header"><h2 id="dialog-title"></h2><button type="button" class="dialog-close">×</button></header>' +
      '<div class="dialog-body"></div></section>';
    backdrop.querySelector('.dialog-close').addEventListener('click', closeDialog);
    backdrop.addEventListener('click', (event) => {
      if (event.target === backdrop) closeDialog();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        closeMenus();
        if (!backdrop.hidden) closeDialog();
      }
    });
    document.addEventListener('click', closeMenus);
    document.body.append(backdrop);
    messageAction.dialog = backdrop;

    const composed = document.createElement('div');
    composed.id = 'composed';
    composed.className = 'composed';
    composed.hidden = true;
    composed.innerHTML =
      '<div class="composed-bar"><span class="composed-label"></span><button type="button" class="composed-remove">×</button></div>' +
      '<div class="composed-card"></div>';
    composed.querySelector('.composed-remove').addEventListener('click', () => setComposed(null));
    el('composer').prepend(composed);
  }

  function closeDialog() {
    messageAction.dialog.hidden = true;
    messageAction.dialog.querySelector('.dialog-body').replaceChildren();
  }

  /** Shows what the bot answered an action invoke with, as Teams does: a dialog, a notice, or a card to compose. */
  function showTaskResponse(code, body) {
    const dialog = messageAction.dialog;
    const holder = dialog.querySelector('.dialog-body');
    if (code === 200 && body && body.composeExtension && body.composeExtension.type === 'result') {
      closeDialog();
      const [attachment] = body.composeExtension.attachments || [];
      if (attachment) setComposed(attachment.content);
      return;
    }
    const task = code === 200 && body && body.task;
    if (task && task.type === 'continue' && task.value && task.value.card) {
      dialog.querySelector('#dialog-title').textContent = task.value.title || '';
      dialog.querySelector('.dialog').dataset.size = task.value.width || 'medium';
      const card = new AC.AdaptiveCard();
      card.hostConfig = hostConfig;
      card.onExecuteAction = onDialogAction;
      card.parse(task.value.card.content);
      const node = document.createElement('div');
      node.className = 'card';
      node.append(card.render());
      holder.replaceChildren(node);
    } else {
      dialog.querySelector('#dialog-title').textContent = t('diagnose');
      dialog.querySelector('.dialog').dataset.size = 'small';
      const text = document.createElement('p');
      text.className = task && task.type === 'message' ? 'dialog-message' : 'dialog-message error';
      text.textContent = task && task.type === 'message' ? String(task.value) : t('failed', { status: code });
      holder.replaceChildren(text);
    }
    dialog.hidden = false;
    dialog.querySelector('.dialog-close').focus();
  }

  async function diagnoseMessage(wrap) {
    messageAction.payload = messagePayload(wrap);
    const { status: code, body } = await post(messageActionInvoke('composeExtension/fetchTask', {}));
    showTaskResponse(code, body);
  }

  async function onDialogAction(action) {
    if (action instanceof AC.OpenUrlAction) {
      window.open(action.url, '_blank', 'noopener');
      return;
    }
    if (action instanceof AC.SubmitAction) {
      const { status: code, body } = await post(
        messageActionInvoke('composeExtension/submitAction', { data: action.data }),
      );
      showTaskResponse(code, body);
    }
  }

  /** The card a message action put into the compose box (null removes it). */
  function setComposed(card) {
    messageAction.composed = card;
    const pending = el('composed');
    const holder = pending.querySelector('.composed-card');
    holder.replaceChildren();
    pending.hidden = !card;
    if (!card) return;
    const preview = new AC.AdaptiveCard();
    preview.hostConfig = hostConfig;
    preview.onExecuteAction = () => {};
    preview.parse(card);
    holder.append(preview.render());
    relabelMessageActions();
    input.focus();
  }

  /** Send with a composed card: the message (its text, if any, and the card) appears in the chat from you, via acrcheck. */
  function sendComposed(text) {
    const card = messageAction.composed;
    setComposed(null);
    const activity = envelope('message');
    activity.text = text;
    activity.attachments = [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }];
    const wrap = document.createElement('div');
    wrap.className = 'message user card-message';
    wrap.dataset.id = activity.id;
    const who = document.createElement('div');
    who.className = 'who';
    who.textContent = `${t('you')} · ${t('via')}`;
    wrap.append(who);
    messages.append(wrap);
    fill(wrap, activity);
    addMoreActions(wrap);
    scrollDown();
  }

  async function send(text) {
    if (messageAction.composed) return sendComposed(text);
    if (!text.trim()) return;
    const activity = teamsMessage(text);
    addUserMessage(text, activity);
    const { status: code } = await post(activity);
    if (code !== 200) notice(messages.lastElementChild, t('failed', { status: code }), true);
  }

  el('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = '';
    send(text);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      el('composer').requestSubmit();
    }
  });
  picker.addEventListener('change', () => {
    localStorage.setItem('acrcheck.locale', picker.value);
    loadStrings();
  });

  async function start() {
    const config = await (await fetch('/dev/host-config.json')).json();
    hostConfig = new AC.HostConfig(config);
    buildMessageActionUi();
    await loadStrings();
    const events = new EventSource(`/dev/events?conversation=${encodeURIComponent(conversation.id)}`);
    let installed = false;
    events.addEventListener('open', () => {
      connected = true;
      setStatus('connected');
      if (installed) return;
      installed = true;
      // The app was just added to a personal chat: Teams announces the bot as a new member.
      const update = envelope('conversationUpdate');
      update.membersAdded = [bot];
      post(update);
    });
    events.addEventListener('error', () => {
      connected = false;
      setStatus('disconnected', true);
    });
    events.addEventListener('activity', (event) => addBotMessage(JSON.parse(event.data)));
    events.addEventListener('update', (event) => updateBotMessage(JSON.parse(event.data)));
    document.body.dataset.ready = 'true';
  }

  start();
})();
