/**
 * Native parity the web build cannot show: react-native-web ignores keyboardShouldPersistTaps and has no
 * software keyboard, so a scroll view that swallows the first tap, or a submit that leaves the keyboard up,
 * passes on web and fails three journeys on a device. This reads the sample app's TSX instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkKeyboardRules } from './support/keyboard-rules';

const SRC = path.resolve(__dirname, '../../fixtures/sample-app/src');

function tsxFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? tsxFiles(path.join(dir, entry.name))
        : entry.name.endsWith('.tsx')
          ? [path.join(dir, entry.name)]
          : [],
    )
    .sort();
}

describe('the sample app keeps taps and dismisses the keyboard', () => {
  it('reads every screen of the app', () => {
    expect(tsxFiles(SRC).map((file) => path.relative(SRC, file))).toEqual(
      expect.arrayContaining(['screens/search-screen.tsx', 'screens/login-screen.tsx', 'root.tsx']),
    );
  });

  it('has no scroll view that swallows taps and no submit that leaves the keyboard up', () => {
    const problems = tsxFiles(SRC).flatMap((file) =>
      checkKeyboardRules(fs.readFileSync(file, 'utf8'), path.relative(SRC, file)),
    );
    expect(problems).toEqual([]);
  });

  it('the search screen submits from the keyboard too (so the rule is exercised, not vacuous)', () => {
    const text = fs.readFileSync(path.join(SRC, 'screens/search-screen.tsx'), 'utf8');
    expect(text).toContain('onSubmitEditing={() => void submit()}');
    expect(text).toContain('keyboardShouldPersistTaps="handled"');
  });
});

describe('checkKeyboardRules', () => {
  const SCREEN = (scroll: string, input: string, submit: string) => `
import { Keyboard, ScrollView, FlatList, TextInput, Pressable, Text } from 'react-native';
export function Screen() {
  const submit = () => { ${submit} };
  return (
    <>
      <TextInput testID="q" ${input} />
      ${scroll}
    </>
  );
}
`;

  it('accepts "handled" and "always", and a submit that reaches Keyboard.dismiss() through local functions', () => {
    for (const keep of ['"handled"', "{'always'}"]) {
      const text = SCREEN(
        `<ScrollView keyboardShouldPersistTaps=${keep}><Button onPress={() => {}} /></ScrollView>`,
        'onSubmitEditing={() => void submit()}',
        'hide();',
      ).replace('export function Screen', 'function hide() { Keyboard.dismiss(); }\nexport function Screen');
      expect(checkKeyboardRules(text, 'screen.tsx')).toEqual([]);
    }
  });

  it('flags a ScrollView holding a pressable without keyboardShouldPersistTaps, or with "never"', () => {
    for (const keep of ['', 'keyboardShouldPersistTaps="never"']) {
      const text = SCREEN(
        `<ScrollView testID="list" ${keep}><Pressable onPress={() => {}}><Text>Add</Text></Pressable></ScrollView>`,
        '',
        '',
      );
      expect(checkKeyboardRules(text, 'screen.tsx')).toEqual([
        'screen.tsx:8: <ScrollView testID="list"> holds pressables but lets the keyboard swallow the first tap: set keyboardShouldPersistTaps="handled"',
      ]);
    }
  });

  it('flags a FlatList whose renderItem holds a pressable; a list of plain text is fine', () => {
    const pressable = SCREEN(`<FlatList data={[]} renderItem={() => <Button onPress={() => {}} />} />`, '', '');
    expect(checkKeyboardRules(pressable, 'screen.tsx')).toEqual([
      'screen.tsx:8: <FlatList> holds pressables but lets the keyboard swallow the first tap: set keyboardShouldPersistTaps="handled"',
    ]);
    const plain = SCREEN(`<FlatList data={[]} renderItem={() => <Text>row</Text>} />`, '', '');
    expect(checkKeyboardRules(plain, 'screen.tsx')).toEqual([]);
  });

  it('flags a TextInput whose onSubmitEditing never reaches Keyboard.dismiss()', () => {
    const text = SCREEN('', 'onSubmitEditing={submit}', 'console.log(1);');
    expect(checkKeyboardRules(text, 'screen.tsx')).toEqual([
      'screen.tsx:7: <TextInput testID="q"> submits without calling Keyboard.dismiss()',
    ]);
  });
});
