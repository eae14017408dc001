import { expect, test } from 'bun:test';
import { placeholders } from '../config/schema/template.ts';
import { renderTemplate } from './template.ts';

test('renders placeholders from the tool arguments', () => {
  expect(renderTemplate('The weather in {{location}} is sunny.', { location: 'Oslo' })).toBe(
    'The weather in Oslo is sunny.',
  );
  expect(renderTemplate('{{ a }}+{{b}}={{c}}', { a: 1, b: true, c: null })).toBe('1+true=');
});

test('the loader and the renderer agree on what a placeholder is', () => {
  expect(placeholders('x {{a}} y {{ b }} {{a}}')).toEqual(['a', 'b', 'a']);
});

test('leaves text without placeholders alone', () => {
  expect(renderTemplate('no {braces} here', {})).toBe('no {braces} here');
});
