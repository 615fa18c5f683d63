import { isFever, matchSymptoms, parseTemperature } from '../../nodes/CheckInWatch/temperature';

describe('parseTemperature', () => {
	it.each([
		['36.5', 36.5, 'C'],
		['36.5℃', 36.5, 'C'],
		['36.5 °C', 36.5, 'C'],
		['36.5度', 36.5, 'C'],
		['３６.５', 36.5, 'C'],
		['３６．５℃', 36.5, 'C'],
		['36,5', 36.5, 'C'],
		['36。5', 36.5, 'C'],
		[' 37 ', 37, 'C'],
		['98.6', 37, 'F'],
		['99.5°F', 37.5, 'F'],
		['100.4℉', 38, 'F'],
		['99.1华氏度', 37.3, 'F'],
		[36.8, 36.8, 'C'],
	])('reads %p as %p (%s)', (raw, celsius, unit) => {
		const r = parseTemperature(raw);
		expect(r).toMatchObject({ ok: true, celsius, unit });
	});

	it.each([
		['', /No temperature/],
		[null, /No temperature/],
		['abc', /not a temperature/],
		['36.5/37', /not a temperature/],
		['365', /outside the human range/],
		['25', /outside the human range/],
		['36.5°F', /outside the human range \(93 to 110 °F\)/],
		['99℃', /outside the human range \(34 to 43 °C\)/],
	])('refuses %p with a reason', (raw, reason) => {
		const r = parseTemperature(raw);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.reason).toMatch(reason);
	});

	it('flags at or above the threshold, on the value rounded to 0.1 °C', () => {
		expect(isFever(parseTemperature('37.3'))).toBe(true);
		expect(isFever(parseTemperature('37.2'))).toBe(false);
		expect(isFever(parseTemperature('99.1F'))).toBe(true); // 37.28 rounds to 37.3
		expect(isFever(parseTemperature('37.4'), 37.5)).toBe(false);
		expect(isFever(parseTemperature('abc'))).toBe(false);
	});
});

describe('matchSymptoms', () => {
	const listed = ['发热', '咳嗽', '乏力', 'cough'];
	it('finds listed symptoms in free text and lists', () => {
		expect(matchSymptoms('咳嗽、乏力', listed)).toEqual(['咳嗽', '乏力']);
		expect(matchSymptoms('轻微咳嗽', listed)).toEqual(['咳嗽']);
		expect(matchSymptoms(['Cough'], listed)).toEqual(['cough']);
	});
	it('reads "none" answers and denials as none', () => {
		for (const v of ['无', '正常', 'none', '', undefined, '无咳嗽', '没有发热，无乏力']) {
			expect(matchSymptoms(v, listed)).toEqual([]);
		}
	});
});
