/**
 * The Google Directory and Classroom fields this package sends and reads, and the calls
 * provisioning needs (google.ts implements them). Plain data; no n8n import.
 */

/** The Directory API user fields this package sends and reads (Directory API reference, users). */
export interface DirectoryUser {
	id?: string | null;
	primaryEmail?: string | null;
	name?: { familyName?: string | null; givenName?: string | null; fullName?: string | null } | null;
	password?: string | null;
	hashFunction?: string | null;
	changePasswordAtNextLogin?: boolean | null;
	orgUnitPath?: string | null;
	externalIds?: unknown;
	suspended?: boolean | null;
	lastLoginTime?: string | null;
	creationTime?: string | null;
}

/** The Directory API org unit fields used here. */
export interface OrgUnit {
	name?: string | null;
	orgUnitPath?: string | null;
	parentOrgUnitPath?: string | null;
	orgUnitId?: string | null;
}

/** The Classroom API course fields used here (id may be an alias, d:...). */
export interface Course {
	id?: string | null;
	name?: string | null;
	section?: string | null;
	descriptionHeading?: string | null;
	ownerId?: string | null;
	courseState?: string | null;
}

/** The Google calls provisioning needs, in plain data. Each call is one HTTP request. */
export interface GoogleApi {
	listUsers(pageToken?: string): Promise<{ users: DirectoryUser[]; nextPageToken?: string }>;
	insertUser(user: DirectoryUser): Promise<DirectoryUser>;
	patchUser(userKey: string, patch: DirectoryUser): Promise<DirectoryUser>;
	listOrgUnits(): Promise<OrgUnit[]>;
	insertOrgUnit(unit: OrgUnit): Promise<OrgUnit>;
	createCourse(course: Course): Promise<Course>;
	addTeacher(courseId: string, userId: string): Promise<unknown>;
	addStudent(courseId: string, userId: string): Promise<unknown>;
}
