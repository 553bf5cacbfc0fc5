import {
  ProtobufFault,
  ProtobufReader,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from './protobuf-reader';
import { type MessageTable, messageTable, walkFields, walkMessage } from './protobuf-walk';
import { ProtobufWriter } from './protobuf-writer';

/** A test message: `Item { string name = 1; uint32 count = 2; double ratio = 3; fixed32 code = 4; Item child = 5; }`. */
class Item {
  name = '';
  count = 0;
  ratio = 0;
  code = 0;
  child: Item | undefined = undefined;
  /** Where the item sits, for faults ("items[0]"); `depth` is the depth it was walked at. */
  constructor(
    readonly path = 'items[0]',
    public depth = -1,
  ) {}
}

const ITEM: MessageTable<Item> = messageTable<Item>({
  fields: {
    1: { name: 'name', wire: WIRE_LENGTH_DELIMITED, read: (reader, item) => (item.name = reader.string()) },
    2: { name: 'count', wire: WIRE_VARINT, read: (reader, item) => (item.count = reader.varint32()) },
    3: { name: 'ratio', wire: WIRE_FIXED64, read: (reader, item) => (item.ratio = reader.double()) },
    4: { name: 'code', wire: WIRE_FIXED32, read: (reader, item) => (item.code = reader.fixed32()) },
    5: { name: 'child', wire: WIRE_LENGTH_DELIMITED, read: readChild },
  },
  pathOf: (item) => item.path,
});

/** The same message where depth is limited: the root is walked at 0, a child one deeper than its parent. */
const NESTED_ITEM: MessageTable<Item> = messageTable<Item>({
  fields: { 5: { name: 'child', wire: WIRE_LENGTH_DELIMITED, read: readNestedChild } },
  depthLimit: { max: 3, problem: 'nests items deeper than 3 levels' },
});

function readChild(reader: ProtobufReader, item: Item, depth: number): void {
  const child = new Item(`${item.path}.child`);
  walkMessage(reader, ITEM, child, depth + 1);
  child.depth = depth + 1;
  item.child = child;
}

function readNestedChild(reader: ProtobufReader, item: Item, depth: number): void {
  const child = new Item(`${item.path}.child`);
  walkMessage(reader, NESTED_ITEM, child, depth + 1);
  child.depth = depth + 1;
  item.child = child;
}

function walk(bytes: Uint8Array, table: MessageTable<Item> = ITEM): Item {
  const item = new Item();
  item.depth = 0;
  walkFields(new ProtobufReader(bytes, 0, bytes.length), table, item, 0);
  return item;
}

/** The fault `run` throws, as plain data; the test fails if it throws something else or nothing. */
function faultOf(run: () => unknown): { offset: number; problem: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtobufFault) return { offset: error.offset, problem: error.problem };
    throw error;
  }
  throw new Error('no fault was thrown');
}

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

describe('walkFields', () => {
  it('reads every known field of each wire type into the state', () => {
    const w = new ProtobufWriter();
    w.string(1, 'pay');
    w.varint(2, 300);
    w.double(3, 0.25);
    w.fixed32(4, 0xdeadbeef);
    expect(walk(w.finish())).toEqual(
      Object.assign(new Item(), { name: 'pay', count: 300, ratio: 0.25, code: 0xdeadbeef, depth: 0 }),
    );
  });

  it('reads an empty message as the state it started with', () => {
    expect(walk(bytes())).toEqual(Object.assign(new Item(), { depth: 0 }));
  });

  it('lets a repeated field replace its earlier value, in wire order', () => {
    expect(walk(bytes(0x10, 0x01, 0x0a, 0x01, 0x61, 0x10, 0x02))).toMatchObject({ name: 'a', count: 2 });
  });

  it.each([
    ['a varint', [0x30, 0x96, 0x01]], // field 6, 150
    ['a fixed64', [0x31, 1, 2, 3, 4, 5, 6, 7, 8]], // field 6
    ['a length-delimited field', [0x32, 0x03, 0x61, 0x62, 0x63]], // field 6, "abc"
    ['a fixed32', [0x35, 1, 2, 3, 4]], // field 6
    ['field number 0', [0x00, 0x07]],
    ['a field number far past the table (536870911)', [0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01]],
  ])('skips an unknown field (%s) and reads the fields around it', (_name, unknown) => {
    // name "a", the unknown field, count 7
    expect(walk(bytes(0x0a, 0x01, 0x61, ...unknown, 0x10, 0x07))).toMatchObject({ name: 'a', count: 7 });
  });

  it.each([
    ['name as a varint', [0x08, 0x01], 'items[0].name has wire type varint, expected length-delimited'],
    ['count as length-delimited', [0x12, 0x00], 'items[0].count has wire type length-delimited, expected varint'],
    ['ratio as a fixed32', [0x1d, 0, 0, 0, 0], 'items[0].ratio has wire type fixed32, expected fixed64'],
    ['code as a fixed64', [0x21, 0, 0, 0, 0, 0, 0, 0, 0], 'items[0].code has wire type fixed64, expected fixed32'],
    ['name as a start-group', [0x0b], 'items[0].name has wire type start-group, expected length-delimited'],
    ['count as wire type 7', [0x17], 'items[0].count has wire type invalid (7), expected varint'],
  ])('refuses a known field with the wrong wire type (%s), at its tag', (_name, field, problem) => {
    // One good field (count 1, 2 bytes) first, so the offset is the tag's and not 0.
    expect(faultOf(() => walk(bytes(0x10, 0x01, ...field)))).toEqual({ offset: 2, problem });
  });

  it("puts the table's path before a field's name, if the table has one", () => {
    expect(faultOf(() => walk(bytes(0x2a, 0x02, 0x08, 0x01)))).toEqual({
      offset: 2,
      problem: 'items[0].child.name has wire type varint, expected length-delimited',
    });
    expect(faultOf(() => walk(bytes(0x28, 0x01), NESTED_ITEM))).toEqual({
      offset: 0,
      problem: 'child has wire type varint, expected length-delimited',
    });
  });

  it.each([
    ['start-group', 0x33, 'wire type start-group is not allowed here'],
    ['end-group', 0x34, 'wire type end-group is not allowed here'],
    ['6', 0x36, 'wire type invalid (6) is not allowed here'],
    ['7', 0x37, 'wire type invalid (7) is not allowed here'],
  ])('refuses an unknown field of wire type %s, at its tag', (_name, tag, problem) => {
    expect(faultOf(() => walk(bytes(0x10, 0x01, tag, 0x00)))).toEqual({ offset: 2, problem });
  });

  it.each([
    [
      'the bytes of a known field',
      [0x10, 0x01, 0x0a, 0x05, 0x61, 0x62],
      3,
      'length 5 runs past the end of its message (2 bytes left)',
    ],
    [
      'the bytes of an unknown field',
      [0x10, 0x01, 0x32, 0x05, 0x61],
      3,
      'length 5 runs past the end of its message (1 bytes left)',
    ],
    ['a length', [0x10, 0x01, 0x0a, 0x80], 3, 'truncated varint'],
    ['a tag', [0x10, 0x01, 0x80], 2, 'truncated varint'],
    ['a known varint', [0x10, 0x81], 1, 'truncated varint'],
    ['an unknown fixed64', [0x10, 0x01, 0x31, 1, 2, 3], 3, 'needs 8 bytes but only 3 remain'],
    ['a known fixed32', [0x10, 0x01, 0x25, 1], 3, 'needs 4 bytes but only 1 remain'],
  ])('refuses a body cut inside %s, at the cut part', (_name, body, offset, problem) => {
    expect(faultOf(() => walk(bytes(...body)))).toEqual({ offset, problem });
  });

  it('stops at the end of the message it is in, not of the buffer', () => {
    const body = bytes(0x10, 0x01, 0x10, 0x02);
    const item = new Item();
    const reader = new ProtobufReader(body, 0, 2);
    walkFields(reader, ITEM, item, 0);
    expect([item.count, reader.pos]).toEqual([1, 2]);
  });
});

describe('walkMessage', () => {
  function varintSize(value: number): number {
    let size = 1;
    for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 128)) size++;
    return size;
  }

  /**
   * Items nested `levels` deep below the root, each the `child` field of its parent, written straight into one
   * buffer (a writer would copy each level again); `childStarts[k]` is where the bytes of child k + 1 start.
   */
  function nested(levels: number): { bytes: Uint8Array; childStarts: number[] } {
    const sizes = [0]; // sizes[i]: bytes of the child i levels above the innermost, without its own header
    for (let i = 1; i < levels; i++) {
      const inner = sizes[i - 1] ?? 0;
      sizes.push(1 + varintSize(inner) + inner);
    }
    const body = new Uint8Array(levels === 0 ? 0 : 1 + varintSize(sizes[levels - 1] ?? 0) + (sizes[levels - 1] ?? 0));
    const childStarts: number[] = [];
    let at = 0;
    for (let i = levels - 1; i >= 0; i--) {
      body[at++] = 0x2a;
      for (let rest = sizes[i] ?? 0; ; rest = Math.floor(rest / 128)) {
        body[at++] = rest >= 0x80 ? (rest % 128) | 0x80 : rest;
        if (rest < 0x80) break;
      }
      childStarts.push(at);
    }
    return { bytes: body, childStarts };
  }

  it('reads an embedded message, passes its depth on, and resumes in the outer message after it', () => {
    // child { name "c" count 2 }, then count 9 in the root
    const item = walk(bytes(0x2a, 0x05, 0x0a, 0x01, 0x63, 0x10, 0x02, 0x10, 0x09));
    expect(item).toEqual(
      Object.assign(new Item(), {
        count: 9,
        depth: 0,
        child: Object.assign(new Item('items[0].child'), { name: 'c', count: 2, depth: 1 }),
      }),
    );
  });

  it('keeps an embedded message from reading past its own length', () => {
    // child's length says 2 bytes, but its name claims 3: the name runs past the child, not into the root.
    expect(faultOf(() => walk(bytes(0x2a, 0x02, 0x0a, 0x03, 0x61, 0x62, 0x63)))).toEqual({
      offset: 3,
      problem: 'length 3 runs past the end of its message (0 bytes left)',
    });
  });

  it('walks a message as deep as its depth limit', () => {
    let item = walk(nested(3).bytes, NESTED_ITEM);
    const depths = [item.depth];
    while (item.child) {
      item = item.child;
      depths.push(item.depth);
    }
    expect(depths).toEqual([0, 1, 2, 3]);
  });

  it('refuses a message one level past its depth limit, at the start of its bytes', () => {
    // Each level is a tag and a one-byte length: the fourth child's bytes start at offset 8.
    expect(nested(4)).toEqual({
      bytes: bytes(0x2a, 0x06, 0x2a, 0x04, 0x2a, 0x02, 0x2a, 0x00),
      childStarts: [2, 4, 6, 8],
    });
    expect(faultOf(() => walk(nested(4).bytes, NESTED_ITEM))).toEqual({
      offset: 8,
      problem: 'nests items deeper than 3 levels',
    });
  });

  it('refuses hostile nesting without overflowing the stack', () => {
    const { bytes: body, childStarts } = nested(100_000);
    expect(faultOf(() => walk(body, NESTED_ITEM))).toEqual({
      offset: childStarts[3],
      problem: 'nests items deeper than 3 levels',
    });
  });
});

describe('messageTable', () => {
  it.each([['0'], ['-1'], ['1.5']])('refuses field number %s', (number) => {
    const fields = { [number]: { name: 'x', wire: WIRE_VARINT, read: () => undefined } };
    expect(() => messageTable({ fields })).toThrow(new Error(`field number ${number} is not a positive integer`));
  });
});
