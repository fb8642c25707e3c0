// The console's live bus feed: the server pushes each event crossing the bus (Server-Sent Events) and this puts it
// at the top of the table. No polling; a dropped stream reconnects by itself (nothing to resume: a watch sees what
// crosses from then on).
const state = document.getElementById('feed-state');
const rows = document.querySelector('#bus tbody');

if (state && rows && 'EventSource' in window) {
  const maxRows = Number(state.dataset.maxRows || '200');
  let seen = 0;
  let retryDelay = 2000;
  const time = at => {
    const element = document.createElement('time');
    element.dateTime = at;
    element.textContent = new Date(at).toISOString().substring(11, 23);
    return element;
  };
  const cell = (...content) => {
    const td = document.createElement('td');
    td.append(...content);
    return td;
  };

  const onEvent = event => {
    const seenEvent = JSON.parse(event.data);
    seen++;
    const row = document.createElement('tr');
    row.dataset.type = seenEvent.type;
    row.dataset.orderId = seenEvent.orderId || '';
    const type = document.createElement('span');
    type.className = 'mono';
    type.textContent = seenEvent.type;
    let order = '–';
    if (seenEvent.orderId) {
      order = document.createElement('a');
      order.className = 'mono';
      order.href = `/console/orders/${encodeURIComponent(seenEvent.orderId)}`;
      order.textContent = `${seenEvent.orderId.substring(0, 8)}…`;
    }
    row.append(cell(time(seenEvent.seenAt)), cell(type), cell(order), cell(seenEvent.service || '–'),
      cell(seenEvent.publishedAt ? time(seenEvent.publishedAt) : '–'));
    rows.prepend(row);
    while (rows.rows.length > maxRows) rows.deleteRow(-1);
    state.textContent = `Watching: ${seen} events seen.`;
  };

  const connect = () => {
    const source = new EventSource(state.dataset.stream);
    source.addEventListener('bus', onEvent);
    source.addEventListener('open', () => {
      retryDelay = 2000;
      state.textContent = seen === 0 ? 'Watching: no event yet.' : `Watching: ${seen} events seen.`;
    });
    source.addEventListener('error', () => {
      state.textContent = 'The feed dropped; reconnecting…';
      // The browser gives up on an answer that is not the stream (the broker or the order service away): again later.
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
      }
    });
  };
  connect();
}
