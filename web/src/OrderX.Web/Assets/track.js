// Live tracking on the order page: the server pushes each step of the order (Server-Sent Events) and this adds it
// to the list. No polling: the browser holds one stream open and, if it drops, reconnects with the last event's
// id, so no step is missed or shown twice.
const steps = document.getElementById('steps');
const status = document.getElementById('order-status');
const tracking = document.getElementById('tracking');

if (steps && status && 'EventSource' in window) {
  const seen = new Set([...steps.querySelectorAll('li[data-step-id]')].map(li => li.dataset.stepId));
  let lastId = Number(steps.dataset.after || '0');
  let source;
  let finished = false;
  tracking.hidden = false;

  // Compensation (a release, a refund, its e-mail) follows a settled order within seconds; a minute without a
  // step after it settled means nothing more will happen, and the stream is let go.
  let quiet;
  const settleWatch = () => {
    clearTimeout(quiet);
    if (status.dataset.status === 'pending') return;
    quiet = setTimeout(() => {
      finished = true;
      source.close();
      tracking.textContent = 'All done: nothing more will happen to this order.';
    }, 60000);
  };

  // Counted for whoever watches the page (the browser tests do): streams opened, and steps the server sent again.
  steps.dataset.connections = '0';
  steps.dataset.repeats = '0';
  settleWatch();

  const onStep = event => {
    const step = JSON.parse(event.data);
    lastId = Math.max(lastId, Number(step.id));
    if (seen.has(String(step.id))) {
      steps.dataset.repeats = String(Number(steps.dataset.repeats) + 1);
      return;
    }
    seen.add(String(step.id));

    const item = document.createElement('li');
    item.dataset.stepId = step.id;
    item.dataset.cause = step.cause;
    item.dataset.status = step.status;
    const label = document.createElement('span');
    label.className = 'step-label';
    label.textContent = step.label;
    const time = document.createElement('time');
    time.dateTime = step.at;
    time.textContent = `${new Date(step.at).toISOString().substring(11, 19)} UTC`;
    const detail = document.createElement('span');
    detail.className = 'step-detail';
    detail.textContent = step.detail;
    item.append(label, ' ', time, ' ', detail);
    steps.append(item);

    if (step.status !== status.dataset.status) {
      status.dataset.status = step.status;
      status.className = `status status-${step.status}`;
      status.textContent = step.status === 'paid' ? 'Order Completed Successfully'
        : step.status === 'cancelled' ? `Order cancelled: ${step.detail}` : step.statusLabel;
      document.getElementById('cancel-form')?.remove();
    }
    settleWatch();
  };

  let retryDelay = 2000;
  const connect = () => {
    if (finished) return;
    source = new EventSource(`${steps.dataset.stream}?after=${encodeURIComponent(String(lastId))}`);
    source.addEventListener('step', onStep);
    source.addEventListener('open', () => {
      retryDelay = 2000;
      steps.dataset.connections = String(Number(steps.dataset.connections) + 1);
      tracking.textContent = 'Updates appear here as they happen.';
    });
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) {
        tracking.textContent = 'Reconnecting…';
        return;
      }
      // The browser gives up on an answer that is not the stream (the order service down, say): try again later,
      // from the last step seen, waiting longer each time.
      if (finished) return;
      tracking.textContent = 'Live updates paused; trying again shortly…';
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  };
  connect();
}
