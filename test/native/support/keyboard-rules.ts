/**
 * A static reading of the sample app's TSX, for what react-native-web ignores and devices do not: a scroll
 * view holding pressables must keep taps while the keyboard is up (keyboardShouldPersistTaps "handled" or
 * "always"), and a text input's submit must dismiss the keyboard (reach Keyboard.dismiss()).
 */
import * as ts from 'typescript';

const SCROLL_VIEWS = new Set(['ScrollView', 'FlatList', 'SectionList', 'VirtualizedList']);
const PRESSABLES = new Set([
  'Pressable',
  'TouchableOpacity',
  'TouchableHighlight',
  'TouchableWithoutFeedback',
  'TouchableNativeFeedback',
]);
const KEEPS_TAPS = new Set(['handled', 'always']);

type JsxTag = ts.JsxElement | ts.JsxSelfClosingElement;

function openingOf(node: JsxTag): ts.JsxOpeningLikeElement {
  return ts.isJsxElement(node) ? node.openingElement : node;
}

function tagName(node: JsxTag): string {
  return openingOf(node).tagName.getText();
}

function attribute(node: JsxTag, name: string): ts.JsxAttribute | undefined {
  return openingOf(node).attributes.properties.find(
    (property): property is ts.JsxAttribute => ts.isJsxAttribute(property) && property.name.getText() === name,
  );
}

/** The attribute's value when it is a string literal (`a="x"` or `a={'x'}`). */
function stringValue(attr: ts.JsxAttribute | undefined): string | undefined {
  const init = attr?.initializer;
  if (init === undefined) return undefined;
  if (ts.isStringLiteral(init)) return init.text;
  if (ts.isJsxExpression(init) && init.expression !== undefined && ts.isStringLiteralLike(init.expression))
    return init.expression.text;
  return undefined;
}

function describe(node: JsxTag): string {
  const testId = stringValue(attribute(node, 'testID'));
  return testId === undefined ? `<${tagName(node)}>` : `<${tagName(node)} testID="${testId}">`;
}

function isJsxTag(node: ts.Node): node is JsxTag {
  return ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node);
}

/** Whether anything under `node` (children, renderItem and other element props) is pressable. */
function holdsPressable(node: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (isJsxTag(child) && (PRESSABLES.has(tagName(child)) || attribute(child, 'onPress') !== undefined)) {
      found = true;
      return;
    }
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/** Functions declared by name in the file: `function f() {}` and `const f = () => {}` / `function () {}`. */
function localFunctions(file: ts.SourceFile): Map<string, ts.Node> {
  const functions = new Map<string, ts.Node>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name !== undefined && node.body !== undefined)
      functions.set(node.name.text, node.body);
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer !== undefined &&
      (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
    )
      functions.set(node.name.text, node.initializer.body);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return functions;
}

const isKeyboardDismiss = (node: ts.Node): boolean =>
  ts.isCallExpression(node) && node.expression.getText().replace(/\s/g, '') === 'Keyboard.dismiss';

/** Whether running `node` reaches Keyboard.dismiss(), following calls of (and references to) local functions. */
function reachesDismiss(node: ts.Node, functions: Map<string, ts.Node>, seen = new Set<string>()): boolean {
  if (isKeyboardDismiss(node)) return true;
  if (ts.isIdentifier(node) && !seen.has(node.text)) {
    const body = functions.get(node.text);
    if (body !== undefined) {
      seen.add(node.text);
      if (reachesDismiss(body, functions, seen)) return true;
    }
  }
  return ts.forEachChild(node, (child) => reachesDismiss(child, functions, seen) || undefined) ?? false;
}

/** Every violation in one TSX file, as `<file>:<line>: <element> ...` lines, in source order. */
export function checkKeyboardRules(text: string, fileName: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const functions = localFunctions(file);
  const problems: string[] = [];
  const where = (node: ts.Node): string =>
    `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (isJsxTag(node)) {
      const name = tagName(node);
      if (SCROLL_VIEWS.has(name) && holdsPressable(node)) {
        const keep = stringValue(attribute(node, 'keyboardShouldPersistTaps'));
        if (keep === undefined || !KEEPS_TAPS.has(keep))
          problems.push(
            `${where(node)}: ${describe(node)} holds pressables but lets the keyboard swallow the first tap: set keyboardShouldPersistTaps="handled"`,
          );
      }
      const submit = attribute(node, 'onSubmitEditing');
      if (name === 'TextInput' && submit?.initializer !== undefined && !reachesDismiss(submit.initializer, functions))
        problems.push(`${where(node)}: ${describe(node)} submits without calling Keyboard.dismiss()`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return problems;
}
