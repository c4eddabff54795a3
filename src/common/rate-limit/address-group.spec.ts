import { addressGroup } from './address-group';

describe('addressGroup', () => {
  it('should keep an IPv4 address as it is, also when it comes IPv4-mapped', () => {
    expect(addressGroup('198.51.100.7')).toBe('198.51.100.7');
    expect(addressGroup('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(addressGroup('::FFFF:c633:6407')).toBe('198.51.100.7');
    expect(addressGroup('198.51.100.8')).not.toBe(addressGroup('198.51.100.7'));
  });

  it('should count every address of one IPv6 /64 as one client, and other /64s apart', () => {
    const a = addressGroup('2001:db8:1:2:aaaa:bbbb:cccc:dddd');
    expect(a).toBe('2001:db8:1:2:0:0:0:0/64');
    expect(addressGroup('2001:db8:1:2::1')).toBe(a);
    expect(addressGroup('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe(a);
    expect(addressGroup('fe80::1%eth0')).toBe(addressGroup('fe80::2'));
    expect(addressGroup('2001:db8:1:3::1')).not.toBe(a);
  });

  it('should honour another prefix length, also one not on a 16-bit boundary', () => {
    expect(addressGroup('2001:db8:1:2::1', 48)).toBe(addressGroup('2001:db8:1:ffff::9', 48));
    expect(addressGroup('2001:db8:1:2::1', 128)).not.toBe(addressGroup('2001:db8:1:2::2', 128));
    expect(addressGroup('2001:db8:1:00f1::', 60)).toBe(addressGroup('2001:db8:1:00fe::', 60));
    expect(addressGroup('2001:db8:1:00ff::', 60)).not.toBe(addressGroup('2001:db8:1:01ff::', 60));
    expect(addressGroup('::1')).toBe('0:0:0:0:0:0:0:0/64');
  });

  it('should leave what is not an address alone', () => {
    expect(addressGroup('unknown')).toBe('unknown');
    expect(addressGroup('')).toBe('');
  });
});
