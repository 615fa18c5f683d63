/** The fake SMTP server's reading of attachment names (test/fakes/smtp.ts), on nodemailer's encoding. */
import { attachmentNames } from '../fakes/smtp';

// The headers nodemailer 6 writes for an attachment named passwords-一年级1班.xlsx (RFC 2231, continued).
const RAW = [
	'Content-Type: multipart/mixed; boundary="--_NmP-1"',
	'',
	'----_NmP-1',
	'Content-Type: text/plain; charset=utf-8',
	'',
	'hi',
	'----_NmP-1',
	'Content-Type: application/octet-stream; name*0*=utf-8\'\'passwords-%E4%B8%80%E5%B9%B4%E7%BA%A71;',
	' name*1*=%E7%8F%AD.xlsx',
	'Content-Disposition: attachment;',
	" filename*0*=utf-8''passwords-%E4%B8%80%E5%B9%B4%E7%BA%A71;",
	' filename*1*=%E7%8F%AD.xlsx',
	'Content-Transfer-Encoding: base64',
	'',
	'eHg=',
	'----_NmP-1',
	'Content-Disposition: attachment; filename="passwords-staff.xlsx"',
	'',
	'eHg=',
	'----_NmP-1--',
].join('\r\n');

describe('fake SMTP: attachment names', () => {
	it('reads RFC 2231 continued names and plain names, and nothing from a message without attachments', () => {
		expect(attachmentNames(RAW)).toEqual(['passwords-一年级1班.xlsx', 'passwords-staff.xlsx']);
		expect(attachmentNames('Subject: x\r\n\r\nhello')).toEqual([]);
	});
});
