// What every plot's frame shares (the live views, the batch-norm panels): the colours of its grid,
// axes and labels, the axes' L, and the y title written upwards beside it.

export const FRAME_INK = { grid: '#ebe8e2', axis: '#8a8f98', text: '#4a4f57' };

/** The left and bottom axes of a plot box, on half pixels so that a 1-px line stays crisp. */
export function axisLines(ctx, box) {
  ctx.strokeStyle = FRAME_INK.axis;
  ctx.beginPath();
  ctx.moveTo(box.x + 0.5, box.y); ctx.lineTo(box.x + 0.5, box.y + box.h + 0.5); ctx.lineTo(box.x + box.w, box.y + box.h + 0.5);
  ctx.stroke();
}

/** The y axis' title, upwards and centred on the box's height, at x from the canvas's left edge. */
export function yAxisTitle(ctx, box, title, x) {
  ctx.save();
  ctx.translate(x, box.y + box.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = FRAME_INK.text;
  ctx.fillText(title, 0, 0);
  ctx.restore();
}
