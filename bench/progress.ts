/**
 * A progress indicator on stderr: one line rewritten in place on a terminal (stage, count, elapsed time);
 * elsewhere (CI, a pipe) a line per stage and per quarter of a counted stage.
 */
export function progress(stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  const tty = stream.isTTY === true;
  const frames = ['|', '/', '-', '\\'];
  let frame = 0;
  let stage = '';
  let total = 0;
  let done = 0;
  let lastQuarter = -1;
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  const text = () => `${stage}${total > 0 ? ` ${done}/${total}` : ''} (${elapsed()})`;
  const draw = () => {
    frame = (frame + 1) % frames.length;
    stream.write(`\r\x1b[2K${frames[frame]} ${text()}`);
  };
  const timer = tty ? setInterval(draw, 250) : undefined;
  timer?.unref();
  return {
    /** A new stage; `of` is the count of things it does, if known. */
    stage(name: string, of = 0) {
      stage = name;
      total = of;
      done = 0;
      lastQuarter = -1;
      if (tty) draw();
      else stream.write(`… ${name}${of > 0 ? ` (${of})` : ''} (${elapsed()})\n`);
    },
    /** `n` more things of the stage are done. */
    tick(n = 1) {
      done += n;
      if (tty || total === 0) return;
      const quarter = Math.floor((4 * done) / total);
      if (quarter > lastQuarter && quarter < 4 && quarter > 0) {
        lastQuarter = quarter;
        stream.write(`  ${done}/${total}\n`);
      }
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      if (tty) stream.write(`\r\x1b[2K✓ done in ${elapsed()}\n`);
      else stream.write(`✓ done in ${elapsed()}\n`);
    },
  };
}
export type Progress = ReturnType<typeof progress>;
