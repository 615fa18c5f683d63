/**
 * Timing for the domain benchmarks. The machine is shared, so wall-clock time swings with the
 * load of other processes: each run also records this process's CPU time (user + system), and the
 * target is checked on the best CPU time. A missed target sets a failing exit code.
 */
export interface MeasureOptions {
	/** Counts what the run produced, for the printed line. */
	count: (result: unknown) => number;
	/** What the count counts: "items", "results". */
	unit: string;
	/** Decimals of the printed milliseconds. */
	decimals?: number;
}

export function measure(label: string, targetMs: number, fn: () => unknown, opts: MeasureOptions): void {
	for (let i = 0; i < 3; i++) fn(); // warm-up
	const wall: number[] = [];
	const cpu: number[] = [];
	let result: unknown;
	for (let i = 0; i < 9; i++) {
		const c0 = process.cpuUsage();
		const t0 = process.hrtime.bigint();
		result = fn();
		wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
		const c = process.cpuUsage(c0);
		cpu.push((c.user + c.system) / 1000);
	}
	const d = opts.decimals ?? 0;
	const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(d);
	const min = (xs: number[]) => Math.min(...xs).toFixed(d);
	const met = Math.min(...cpu) < targetMs;
	if (!met) process.exitCode = 1;
	process.stdout.write(
		`${label}: ${med(wall)} ms wall (min ${min(wall)}), ${med(cpu)} ms CPU (min ${min(cpu)}), ${opts.count(result)} ${opts.unit} (target < ${targetMs} ms CPU): ${met ? 'met' : 'NOT MET'}\n`,
	);
}
