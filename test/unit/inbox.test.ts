import { renderInbox, viewOf } from '../fakes/inbox';
import { cardBody } from '../../nodes/SchoolNotify/bodies';

describe('demo inbox: messages as a person reads them', () => {
	it('shows a DingTalk text with its @mentions and a card with its button', () => {
		const text = viewOf('dingtalk', { msgtype: 'text', text: { content: '健康打卡提醒\n- 王伟：尚未填报' }, at: { atMobiles: ['13900000001'] } });
		expect(text.lines).toEqual(['健康打卡提醒', '- 王伟：尚未填报']);
		expect(text.mentions).toEqual(['@13900000001']);
		const card = viewOf('dingtalk', cardBody('dingtalk', { title: '访客审批', text: '请审批', buttonText: '审批', url: 'https://x.example/a' }));
		expect(card.title).toBe('访客审批');
		expect(card.buttons).toEqual([{ text: '审批', url: 'https://x.example/a' }]);
	});

	it('reads Feishu and WeCom cards', () => {
		const f = viewOf('feishu', cardBody('feishu', { title: 'T', text: '**body**', buttonText: 'Go', url: 'https://x.example/f' }));
		expect(f).toMatchObject({ title: 'T', lines: ['body'], buttons: [{ text: 'Go', url: 'https://x.example/f' }] });
		const w = viewOf('wecom', cardBody('wecom', { title: 'W', text: 'sub', buttonText: 'Open', url: 'https://x.example/w' }));
		expect(w).toMatchObject({ title: 'W', lines: ['sub'], buttons: [{ text: 'Open', url: 'https://x.example/w' }] });
		expect(viewOf('feishu', { msg_type: 'text', content: { text: 'hi <at user_id="ou_1">李</at>' } }).mentions).toContain('@李');
	});

	it('escapes markup from message text in the page', () => {
		const html = renderInbox(
			[{ channel: 'wecom', robot: 'k', at: 0, body: { msgtype: 'text', text: { content: '<script>alert(1)</script> http://a.example/p?sig=x' } } }],
			[],
			'http://127.0.0.1:1',
		);
		expect(html).not.toContain('<script>alert');
		expect(html).toContain('&lt;script&gt;');
		expect(html).toContain('href="http://a.example/p?sig=x"');
		expect(html).toContain('a.example/p?…');
	});
});
