import { normalize } from '../../src/recognize';

describe('normalize', () => {
  describe('Teams HTML', () => {
    test.each([
      [
        'paragraphs and breaks become lines',
        '<p>first</p><p>second<br>third<br/>fourth</p>',
        '\nfirst\n\nsecond\nthird\nfourth\n',
      ],
      ['divs become lines', '<div>a</div><div>b</div>', '\na\n\nb\n'],
      [
        'inline tags leave their text',
        'an <b>important</b> <span style="color:red">error</span>',
        'an important error',
      ],
      [
        'code blocks keep their lines',
        '<pre><code>line one\nline two</code></pre>',
        '\nline one\nline two\n',
      ],
      ['mentions of the bot are removed', '<at id="0">acrcheck</at>&nbsp;help', ' help'],
      ['a self-closing mention is removed alone', '<at id="0"/>text', 'text'],
      [
        'styles and scripts are dropped with their content',
        '<style>p{color:red}</style>x<script>alert(1)</script>y',
        'xy',
      ],
      ['comments are dropped', 'a<!-- hidden -->b', 'ab'],
      ['upper-case tags count', '<P>one</P><BR>two', '\none\n\ntwo'],
      ['table cells are separated', '<table><tr><td>a</td><td>b</td></tr></table>', '\n\n a  b\n\n'],
      [
        'unknown angle brackets stay',
        'Get <registry>: proxyconnect tcp: EOF',
        'Get <registry>: proxyconnect tcp: EOF',
      ],
      ['a tag without its end stays', 'x <p unterminated', 'x <p unterminated'],
    ])('%s', (_, input, output) => {
      expect(normalize(input)).toBe(output);
    });

    test("Teams' text/html attachment of a pasted error", () => {
      const html =
        '<div><at id="0">acrcheck</at>&nbsp;seit heute:</div><pre><code>Get &quot;https://x.azurecr.io/v2/&quot;: ' +
        'denied: client with IP &#39;203.0.113.9&#39; is not allowed access</code></pre>';
      expect(normalize(html).split('\n')).toEqual([
        '',
        ' seit heute:',
        '',
        `Get "https://x.azurecr.io/v2/": denied: client with IP '203.0.113.9' is not allowed access`,
        '',
      ]);
    });
  });

  describe('entities', () => {
    test.each([
      ['&lt;registry&gt;.azurecr.io', '<registry>.azurecr.io'],
      ['a&nbsp;b', 'a b'],
      ['&quot;x&quot; &amp; &#39;y&#39;', `"x" & 'y'`],
      ['&#x2F;v2&#x2f;', '/v2/'],
      ['&#8220;quoted&#8221;', '"quoted"'],
      ['&amp;lt; stays one level', '&lt; stays one level'],
      ['&auml;&ouml;&uuml;&szlig;', 'äöüß'],
      ['&unknown; and &#xD800; stay', '&unknown; and &#xD800; stay'],
    ])('%s', (input, output) => {
      expect(normalize(input)).toBe(output);
    });
  });

  describe('terminal output', () => {
    test.each([
      ['colours', '\u001b[1;31mError:\u001b[0m dial tcp', 'Error: dial tcp'],
      ['erase and cursor codes', 'a\u001b[2K\u001b[1Gb', 'ab'],
      [
        'OSC hyperlinks and titles',
        '\u001b]8;;https://x\u001b\\link\u001b]8;;\u001b\\ \u001b]0;t\u0007x',
        'link x',
      ],
      ['caret notation', '^[[32mok^[[0m', 'ok'],
      ['colour codes whose ESC was lost', '[31mError[0m: x [5m]', 'Error: x [5m]'],
      ['CRLF and CR', 'a\r\nb\rc', 'a\nb\nc'],
      ['control characters', 'a\u0007\u0000b\u0008c', 'abc'],
      ['tabs', 'Warning\tFailed', 'Warning Failed'],
      ['trailing spaces', 'line   \nnext ', 'line\nnext'],
    ])('%s', (_, input, output) => {
      expect(normalize(input)).toBe(output);
    });
  });

  describe('characters chat clients change', () => {
    test.each([
      ['zero-width characters', 'myre\u200bgis\u200dtry.azurecr\ufeff.io', 'myregistry.azurecr.io'],
      ['bidi marks and soft hyphens', 'a\u200eb\u00adc\u202ed', 'abcd'],
      ['non-breaking and ideographic spaces', 'a\u00a0b\u3000c\u202fd', 'a b c d'],
      ['curly quotes', '\u201cGet\u201d \u2018x\u2019 \u201elow\u201c', `"Get" 'x' "low"`],
      ['typographic hyphens', 'dial\u2011tcp \u2212x', 'dial-tcp -x'],
      [
        'a dash that starts a flag',
        'docker login \u2014password x \u2013p y',
        'docker login --password x --p y',
      ],
      ['a dash between words stays', 'a \u2013 b', 'a \u2013 b'],
      ['ellipsis', 'Waiting\u2026', 'Waiting...'],
    ])('%s', (_, input, output) => {
      expect(normalize(input)).toBe(output);
    });
  });

  describe('markdown', () => {
    test.each([
      ['fences are dropped', '```bash\ndocker pull x\n```', '\ndocker pull x\n'],
      ['tilde fences are dropped', '~~~\nx\n~~~', '\nx\n'],
      ['inline code loses its backticks', 'run `az acr login` now', 'run az acr login now'],
      ['quote markers are dropped', '> quoted\n>> twice', 'quoted\ntwice'],
    ])('%s', (_, input, output) => {
      expect(normalize(input)).toBe(output);
    });
  });

  describe('line wrapping', () => {
    const error =
      'Error response from daemon: Get "https://corpacr.azurecr.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)';
    const wrap = (text: string, width: number): string =>
      text.match(new RegExp(`.{1,${width}}`, 'g'))?.join('\n') ?? text;

    test.each([80, 120])('a line wrapped by a %i-column terminal is joined again', (width) => {
      expect(normalize(`$ docker login corpacr.azurecr.io\n${wrap(error, width)}\n$ echo done`)).toBe(
        `$ docker login corpacr.azurecr.io\n${error}\n$ echo done`,
      );
    });

    test('a line of terminal width followed by a new record stays apart', () => {
      const line = 'x'.repeat(80);
      expect(normalize(`${line}\n2024/01/01 next\n${line}\n  indented`)).toBe(
        `${line}\n2024/01/01 next\n${line}\n  indented`,
      );
    });

    test('log lines that merely share a length are not joined', () => {
      const a = `2024/05/14 10:00:01 ${'a'.repeat(77)}`;
      const b = `2024/05/14 10:00:02 ${'b'.repeat(77)}`;
      expect(normalize(`${a}\n${b}`)).toBe(`${a}\n${b}`);
    });
  });

  test('runs in linear time on a megabyte of tiny lines', () => {
    const text = 'x \n'.repeat(350_000);
    expect(normalize(text)).toBe('x\n'.repeat(350_000));
  });
});
