import { shortReason } from './short-reason';

describe('shortReason', () => {
  it('returns a reason within the limit unchanged, long ids included', () => {
    const reason = 'orphan-span: auth-service names parent ffffffffffffffff';
    expect(shortReason(reason, 60)).toBe(reason);
  });

  it('shortens trace and span ids to 8 characters before cutting words', () => {
    expect(shortReason('wrong-parent: got 00100006bbbbbbbb in trace 001f0001cccccccccccccccccccccccc', 60)).toBe(
      'wrong-parent: got 00100006 in trace 001f0001',
    );
  });

  it('cuts the middle and keeps the cause after the last colon whole', () => {
    const reason =
      'broken-chain: payment-api received the request but fraud-service started a new trace (bd464c5f instead of 5d26a336): payment-api did not forward traceparent';
    expect(shortReason(reason, 100)).toBe(
      'broken-chain: payment-api received the request but…: payment-api did not forward traceparent',
    );
  });

  it('cuts the end at a word when the cause alone is too long to keep', () => {
    const reason =
      'leaked-header: analytics is a third party and received traceparent on POST /events: the caller injects trace headers for every host instead of first-party hosts only';
    expect(shortReason(reason, 80)).toBe('leaked-header: analytics is a third party and received traceparent on POST…');
  });
});
