/**
 * Generates the sample school (workflows/data/sample-school.json): about 120 staff in their
 * departments, 30 classes with a few students each, disinfection areas and supplies.
 * Deterministic: the same file every run. Names are invented; phone numbers use the 139 0000
 * test range. Run: node bench/run-ts.js scripts/sample-school.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StaffRow as Staff } from '../test/integration/harness';

let seed = 20200210;
function rand(): number {
	seed = (seed * 1103515245 + 12345) % 2147483648;
	return seed / 2147483648;
}
function pick<T>(list: T[]): T {
	return list[Math.floor(rand() * list.length)];
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '单', '仇', '尉迟', '欧阳', '曾', '解', '区', '查'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '婷', '雪', '晨', '欣怡', '子涵', '浩然', '梓萱', '宇轩', '一诺', '思远', '吕', '绿'];

const usedNames = new Set<string>();
function name(): string {
	for (;;) {
		const n = pick(SURNAMES) + pick(GIVEN) + (rand() < 0.4 ? pick(GIVEN) : '');
		if (!usedNames.has(n)) {
			usedNames.add(n);
			return n;
		}
	}
}

let mobileSeq = 0;
const mobile = () => `1390000${String(++mobileSeq).padStart(4, '0')}`;

const departments: Array<[string, number, string]> = [
	['行政办公室', 8, 'admin'],
	['语文组', 24, 'teacher'],
	['数学组', 22, 'teacher'],
	['英语组', 12, 'teacher'],
	['综合组', 22, 'teacher'],
	['后勤保障处', 12, 'logistics'],
	['保安队', 12, 'guard'],
	['保洁组', 8, 'cleaner'],
];

const staff: Staff[] = [];
let seq = 0;
for (const [dept, count, role] of departments) {
	const members: Staff[] = [];
	for (let i = 0; i < count; i++) {
		const id = `T${String(++seq).padStart(3, '0')}`;
		const roles = [role];
		if (role === 'admin' && i < 5) roles.push('cadre');
		if (role === 'teacher' && i === 0) roles.push('cadre');
		if (role === 'teacher' && i < 5) roles.push('class-teacher');
		members.push({
			staffId: id,
			name: name(),
			department: dept,
			roles: roles.join(','),
			mobile: mobile(),
			userId: `u${id.toLowerCase()}`,
			email: `${id.toLowerCase()}@school.example`,
			reachBy: '',
			leaderName: '',
			leaderMobile: '',
			leaderUserId: '',
			unavailable: '',
			weeklyCap: role === 'guard' ? 6 : 3,
			resident: role === 'guard' || (role === 'logistics' && i < 4),
		});
	}
	const head = members[0];
	for (const m of members) {
		m.leaderName = m === head ? staff[0]?.name ?? head.name : head.name;
		m.leaderMobile = m === head ? staff[0]?.mobile ?? head.mobile : head.mobile;
		m.leaderUserId = m === head ? staff[0]?.userId ?? head.userId : head.userId;
	}
	staff.push(...members);
}
staff[12].unavailable = '2026-03-02..2026-03-06';
staff[40].unavailable = '2026-03-09';

const teachers = staff.filter((s) => s.roles.includes('teacher'));
const grades = ['一', '二', '三', '四', '五', '六'];
const classes: Array<{ classId: string; className: string; grade: number; headTeacherId: string }> = [];
for (let g = 0; g < 6; g++) {
	for (let c = 1; c <= 5; c++) {
		const i = classes.length;
		classes.push({
			classId: `C${g + 1}${c}`,
			className: `${grades[g]}年级${c}班`,
			grade: g + 1,
			headTeacherId: teachers[i % teachers.length].staffId,
		});
	}
}

const students: Array<Record<string, unknown>> = [];
for (const cls of classes) {
	for (let k = 1; k <= 10; k++) {
		students.push({
			studentId: `2026${cls.classId.slice(1)}${String(k).padStart(2, '0')}`,
			name: name(),
			classId: cls.classId,
			className: cls.className,
			role: 'student',
			guardianMobile: mobile(),
		});
	}
}

const cleaners = staff.filter((s) => s.roles.includes('cleaner'));
const areaNames = ['教学楼一楼', '教学楼二楼', '教学楼三楼', '教学楼四楼', '综合楼', '行政楼', '食堂', '图书馆', '体育馆', '医务室', '一号厕所', '二号厕所', '三号厕所', '校门岗亭', '操场看台', '音乐教室', '美术教室', '计算机房', '科学实验室', '隔离观察室'];
const areas = areaNames.map((n, i) => ({
	areaId: `A${String(i + 1).padStart(2, '0')}`,
	areaName: n,
	responsibleId: cleaners[i % cleaners.length].staffId,
	responsibleName: cleaners[i % cleaners.length].name,
	responsibleMobile: cleaners[i % cleaners.length].mobile,
}));

const supplies = [
	{ item: '医用口罩', unit: '个', onHand: 1500, packSize: 50, leadTimeDays: 7, targetCoverDays: 30, perPersonDaily: 2 },
	{ item: '84消毒液', unit: '瓶', onHand: 60, packSize: 12, leadTimeDays: 5, targetCoverDays: 30, perPersonDaily: 0.02 },
	{ item: '75%酒精', unit: '瓶', onHand: 40, packSize: 20, leadTimeDays: 5, targetCoverDays: 30, perPersonDaily: 0.02 },
	{ item: '额温枪', unit: '把', onHand: 12, packSize: 1, leadTimeDays: 10, targetCoverDays: 90, perPersonDaily: 0.001 },
	{ item: '一次性手套', unit: '副', onHand: 800, packSize: 100, leadTimeDays: 7, targetCoverDays: 30, perPersonDaily: 0.5 },
];

const data = { staff, classes, students, areas, supplies };
const file = join(__dirname, '..', 'workflows', 'data', 'sample-school.json');
writeFileSync(file, JSON.stringify(data, null, '\t') + '\n');
console.log(`${file}: ${staff.length} staff, ${classes.length} classes, ${students.length} students, ${areas.length} areas, ${supplies.length} supplies`);
