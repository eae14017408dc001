import { expect, test } from 'bun:test';
import { replacePhoneNumbers, starDigits } from './phone-number.ts';

const found = (text: string) => {
  const numbers: string[] = [];
  replacePhoneNumbers(text, (n) => (numbers.push(n), n));
  return numbers;
};

test('E.164, international with separators, and North American formats', () => {
  expect(found('You are calling from +15558675309.')).toEqual(['+15558675309']);
  expect(found('From=%2B15558675309&To=x')).toEqual(['%2B15558675309']);
  expect(found('+1 555 867 5309; +1 (555) 867-5309; +44 (20) 7946-0958; +33 1 23 45 67 89; +49 30 12345678')).toEqual([
    '+1 555 867 5309',
    '+1 (555) 867-5309',
    '+44 (20) 7946-0958',
    '+33 1 23 45 67 89',
    '+49 30 12345678',
  ]);
  expect(found('(555) 867-5309, 555-867-5309, 555.867.5309, 555 867 5309, 1-555-867-5309.')).toEqual([
    '(555) 867-5309',
    '555-867-5309',
    '555.867.5309',
    '555 867 5309',
    '1-555-867-5309',
  ]);
});

test('never a CallSid, an ISO timestamp, a duration, an id, an address or a short +number', () => {
  const text = [
    'CA0123456789abcdef0123456789abcdef',
    'MZ5558675309aaaaaaaaaaaaaaaaaaaaaa',
    '2026-03-01T10:00:00.000Z',
    '2026-03-01T10:00:00+05:30',
    'took 1534 ms',
    'order 5558675309',
    'x555-867-5309',
    '12-555-867-5309',
    '123e4567-e89b-12d3-a456-426614174000',
    '127.0.0.1:3000',
    'v1.555.867.5309',
    '+1 2 3',
    '+0100',
    '********4321',
  ].join(' | ');
  expect(found(text)).toEqual([]);
});

test('starred: the last four digits stay, the shape stays', () => {
  expect(starDigits('+1 (555) 867-5309')).toBe('+* (***) ***-5309');
  expect(starDigits('555-867-5309')).toBe('***-***-5309');
});
