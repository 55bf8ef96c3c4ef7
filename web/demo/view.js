// The demo page's result view: one native result (POST /v1/liveness) drawn as a person reads it:
// the photo with every face's box and landmarks, the verdict in words, the score on the ladder,
// the quality signals, each model's opinion, the time taken. Pure DOM building, no network.

const SVG = 'http://www.w3.org/2000/svg';

/** What each ladder step is, in words (the figures come from the calibration). */
const STEP_NAMES = { 5: 'very lenient', 10: 'lenient', 40: 'balanced', 70: 'strict', 90: 'very strict' };

/** Landmark names in the API's order (YuNet: the subject's right eye first). */
const LANDMARKS = ['right eye', 'left eye', 'nose', 'right mouth corner', 'left mouth corner'];

const VERDICTS = {
  live: { title: 'Live person', why: (s, t) => `The photo looks like a real person in front of the camera: score ${s} is at or above the threshold ${t}.` },
  spoof: {
    title: 'Not a live person: likely an attack',
    why: (s, t) => `The photo looks like a printed photo, a screen or a mask held up to the camera: score ${s} is below the threshold ${t}.`,
  },
  retry: {
    title: 'Cannot tell: take another photo',
    why: (s) => `This photo cannot be judged reliably (score ${s} is shown but not trusted). What to change:`,
  },
};

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    // Through the CSSOM: the page's CSP forbids style attributes.
    else if (name === 'style') Object.assign(node.style, value);
    else node.setAttribute(name, String(value));
  }
  node.append(...children);
  return node;
}

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** A fraction as a percentage a person reads: 0.049 → "4.9%", 0.2 → "20%". */
export function percent(fraction) {
  const value = fraction * 100;
  return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)}%`;
}

/** A score as shown: one decimal. */
export function scoreText(score) {
  return (Math.round(score * 10) / 10).toFixed(1);
}

/** The verdict's words for a result. */
export function verdictWords(result) {
  const words = VERDICTS[result.decision] ?? VERDICTS.retry;
  return { title: words.title, why: words.why(scoreText(result.score), result.threshold) };
}

/**
 * Draws every face on the overlay, in the image's own pixels (the SVG's viewBox is the image
 * size, so it scales with the photo): box, five landmarks, and a "primary" mark on faces[0].
 */
export function drawFaces(overlay, result) {
  const { width, height } = result.image;
  overlay.setAttribute('viewBox', `0 0 ${width} ${height}`);
  overlay.setAttribute('preserveAspectRatio', 'none');
  overlay.replaceChildren();
  const stroke = Math.max(2, Math.round(Math.max(width, height) / 250));
  (result.faces ?? []).forEach((face, index) => {
    const primary = index === 0;
    const judged = face.liveness ? face.liveness.decision : 'unjudged';
    const group = svg('g', { class: `face ${primary ? 'primary' : 'secondary'} ${judged}`, 'data-face': index });
    const { x, y, width: w, height: h } = face.box;
    group.append(
      svg('rect', {
        class: 'face-box',
        x,
        y,
        width: w,
        height: h,
        'stroke-width': primary ? stroke * 1.5 : stroke,
        'data-x': x,
        'data-y': y,
        'data-width': w,
        'data-height': h,
      }),
    );
    face.landmarks.forEach(([lx, ly], i) => {
      const dot = svg('circle', { class: 'landmark', cx: lx, cy: ly, r: stroke * 1.6, 'data-landmark': LANDMARKS[i] ?? i });
      group.append(dot);
    });
    const label = primary ? 'primary face' : `face ${index + 1}`;
    const fontSize = Math.max(12, Math.round(Math.max(width, height) / 40));
    const textY = y > fontSize * 1.4 ? y - fontSize * 0.4 : y + h + fontSize;
    group.append(Object.assign(svg('text', { class: 'face-label', x, y: textY, 'font-size': fontSize }), { textContent: label }));
    overlay.append(group);
  });
}

/** The verdict, its reason and the retry hints. */
export function showVerdict(ui, result) {
  const words = verdictWords(result);
  ui.verdict.textContent = words.title;
  ui.verdict.className = `verdict ${result.decision}`;
  ui.verdict.dataset.verdict = result.decision;
  ui.verdictWhy.textContent = words.why;
  const hints = result.retryHints ?? [];
  ui.retryHints.replaceChildren(...hints.map((hint) => el('li', { text: hint })));
  ui.retryHints.hidden = hints.length === 0;
}

/** The score on a 0..100 bar with the ladder's ticks, and the ladder with what each step means. */
export function showGauge(ui, result, settings) {
  const score = result.score;
  ui.gauge.dataset.score = String(score);
  ui.gauge.setAttribute('aria-label', `Score ${scoreText(score)} of 100; threshold ${result.threshold}`);
  ui.gaugeFill.style.width = `${Math.max(0, Math.min(100, score))}%`;
  ui.gaugeFill.className = `gauge-fill ${result.decision}`;
  const ticks = settings.ladder.map((step) =>
    el('span', {
      class: `tick${step.score100 === result.threshold ? ' threshold' : ''}`,
      style: { left: `${step.score100}%` },
      'data-step': step.score100,
      text: String(step.score100),
    }),
  );
  const marker = el('span', { class: 'marker', style: { left: `${Math.max(0, Math.min(100, score))}%` }, text: scoreText(score) });
  ui.gaugeTicks.replaceChildren(...ticks, marker);
  ui.ladder.replaceChildren(
    ...settings.ladder.map((step) => {
      const passes = score >= step.score100;
      const item = el('li', { class: `${passes ? 'passes' : 'fails'}${step.score100 === result.threshold ? ' current' : ''}`, 'data-step': step.score100 });
      const head = el('span', { class: 'step' }, el('strong', { text: String(step.score100) }), ` ${STEP_NAMES[step.score100] ?? ''}`);
      if (step.score100 === result.threshold) head.append(el('span', { class: 'badge', text: 'this server' }));
      const meaning =
        step.apcer && step.bpcer
          ? `About ${percent(step.apcer.value)} of attacks would pass as live, and ${percent(step.bpcer.value)} of live people would be refused.`
          : 'No calibration figures for this step.';
      const outcome = passes ? 'This photo passes here.' : 'This photo is refused here.';
      item.append(head, el('span', { class: 'meaning', text: `${meaning} ${outcome}` }));
      return item;
    }),
  );
  const c = settings.calibration;
  ui.ladderSource.textContent = c
    ? `Figures measured on the ${c.dataset} set (${c.bonaFide} live photos, ${c.attacks} attacks) with the shipped calibration; your own photos may differ.`
    : 'Calibration is off on this server, so the ladder figures do not apply.';
}

/** Every quality signal as a chip; the ones that changed or threaten the verdict are highlighted. */
export function signalChips(quality, settings) {
  const q = quality;
  const limits = settings.quality ?? {};
  const round = (value) => Math.round(value);
  return [
    {
      signal: 'faceSize',
      label: 'Face size',
      value: `${round(q.faceSizePx)} px wide`,
      state: q.faceSizePx < (limits.minFaceSizePx ?? 0) * 1.5 ? 'warn' : 'ok',
      note: q.faceSizePx < (limits.minFaceSizePx ?? 0) * 1.5 ? 'small: come closer' : '',
    },
    {
      signal: 'context',
      label: 'Surroundings',
      value: `${round(q.contextFraction * 100)}% in view`,
      state: q.insufficientContext ? 'bad' : q.faceCutOff ? 'warn' : 'ok',
      note: q.insufficientContext ? 'too close: step back' : q.faceCutOff ? 'face cut off at the edge' : '',
    },
    {
      signal: 'light',
      label: 'Light',
      value: `${round(q.brightness)} / 255`,
      state: q.dark || q.overexposed ? 'warn' : 'ok',
      note: q.dark ? 'too dark' : q.overexposed ? 'too bright' : '',
    },
    { signal: 'sharpness', label: 'Sharpness', value: `${round(q.sharpness)}`, state: q.blurry ? 'warn' : 'ok', note: q.blurry ? 'blurry' : '' },
    {
      signal: 'pose',
      label: 'Pose',
      value: `turned ${round(Math.abs(q.yawDeg))}°, tilted ${round(Math.abs(q.rollDeg))}°`,
      state: q.poseExtreme ? 'warn' : 'ok',
      note: q.poseExtreme ? 'face the camera' : '',
    },
    { signal: 'colour', label: 'Colour', value: `${round(q.colourfulness)}`, state: q.monochrome ? 'bad' : 'ok', note: q.monochrome ? 'black and white' : '' },
    {
      signal: 'faces',
      label: 'Faces',
      value: String(q.faceCount),
      state: q.faceCount > 1 ? 'warn' : 'ok',
      note: q.faceCount > 1 ? 'more than one person' : '',
    },
  ];
}

function showSignals(ui, result, settings) {
  ui.signals.replaceChildren(
    ...signalChips(result.quality, settings).map((chip) => {
      const item = el('li', { class: `chip ${chip.state}${chip.state === 'ok' ? '' : ' matters'}`, 'data-signal': chip.signal, 'data-state': chip.state });
      item.append(el('span', { class: 'chip-label', text: chip.label }), ' ', el('span', { class: 'chip-value', text: chip.value }));
      if (chip.note) item.append(' ', el('span', { class: 'chip-note', text: chip.note }));
      return item;
    }),
  );
}

function shortModel(id) {
  return id.replace(/^pad\//, '');
}

function showModels(ui, result) {
  ui.models.replaceChildren(
    ...(result.models ?? []).map((model) => {
      const bar = el('span', { class: 'bar' }, el('span', { class: 'bar-fill', style: { width: `${(model.liveProbability * 100).toFixed(1)}%` } }));
      return el(
        'tr',
        { 'data-model': model.modelId },
        el('td', {}, el('code', { text: shortModel(model.modelId) })),
        el('td', { class: 'probability' }, bar, ` ${model.liveProbability.toFixed(3)}`),
        el('td', { text: String(model.weight) }),
      );
    }),
  );
  const faces = result.faces ?? [];
  const others = faces.slice(1).filter((face) => face.liveness);
  ui.facesNote.textContent =
    faces.length <= 1
      ? `Fused live probability ${result.liveProbability.toFixed(3)}.`
      : `${faces.length} faces found; the largest is the primary face. ` +
        others.map((face, i) => `Face ${i + 2}: score ${scoreText(face.liveness.score100)} (${face.liveness.decision}).`).join(' ');
}

const STAGES = [
  ['decodeMs', 'Opening the photo'],
  ['detectMs', 'Finding faces'],
  ['qualityMs', 'Quality checks'],
  ['cropMs', 'Cropping the face'],
  ['classifyMs', 'Liveness models'],
  ['totalMs', 'Total'],
];

function showTimings(ui, result) {
  const timings = result.timings ?? {};
  ui.timings.replaceChildren(
    ...STAGES.filter(([key]) => typeof timings[key] === 'number').map(([key, label]) =>
      el(
        'tr',
        { 'data-stage': key, class: key === 'totalMs' ? 'total' : '' },
        el('th', { scope: 'row', text: label }),
        el('td', { text: `${timings[key].toFixed(1)} ms` }),
      ),
    ),
  );
}

/** Fills the whole detail view for one successful result. */
export function showResult(ui, result, settings) {
  drawFaces(ui.overlay, result);
  showVerdict(ui, result);
  showGauge(ui, result, settings);
  showSignals(ui, result, settings);
  showModels(ui, result);
  showTimings(ui, result);
  ui.verdictPanel.hidden = false;
  ui.explain.hidden = false;
}
