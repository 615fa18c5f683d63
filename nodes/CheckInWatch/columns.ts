/**
 * The columns Check-In Watch reads: of the reporters (roster) and of the submissions, with the
 * Chinese and English names looked for by default. Pure TypeScript: no n8n import.
 */
export type ReporterKey =
	| 'id'
	| 'name'
	| 'group'
	| 'mobile'
	| 'userId'
	| 'leaderName'
	| 'leaderMobile'
	| 'leaderUserId';

export type SubmissionKey = 'reporterId' | 'timestamp' | 'name' | 'group' | 'temperature' | 'symptoms';

export const DEFAULT_REPORTER_COLUMNS: Record<ReporterKey, string> = {
	id: '工号, 学号, 编号, id, reporterId',
	name: '姓名, 名称, name, reporterName',
	group: '班级, 部门, 区域, group, class, department',
	mobile: '手机, 手机号, 电话, mobile, phone',
	userId: '用户ID, userId, user id',
	leaderName: '班主任, 组长, 负责人, leader, leaderName',
	leaderMobile: '班主任手机, 组长手机, 负责人手机, leaderMobile',
	leaderUserId: '班主任用户ID, 组长用户ID, 负责人用户ID, leaderUserId',
};

export const DEFAULT_SUBMISSION_COLUMNS: Record<SubmissionKey, string> = {
	reporterId: '工号, 学号, 编号, id, reporterId',
	timestamp: '提交时间, 填报时间, 时间, submittedAt, timestamp, time',
	name: '姓名, 名称, name, reporterName',
	group: '班级, 部门, 区域, group, class, department',
	temperature: '体温, temperature, temp',
	symptoms: '症状, symptoms',
};

/** The reporter column that holds each reporter's own due time (Find Missing by due time). */
export const DEFAULT_DUE_AT_COLUMN = 'dueAt, 应到时间, 截止时间, expectedReturn, 预计返回时间';
