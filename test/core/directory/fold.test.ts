import { describe, it, expect } from '../../support/harness.js';
import { prefixEnd, sortingKey, splitWords } from '../../../src/core/directory/fold.js';

const keys = (text: string) => splitWords(text).map((word) => [word.folded, word.alias ?? null]);

describe('directory folding', () => {
  it('splits text into words with their offsets', () => {
    expect(splitWords('Jörg  Müller-Lüdenscheidt')).to.deep.equal([
      { start: 0, end: 4, folded: 'jorg', alias: 'joerg' },
      { start: 6, end: 12, folded: 'muller', alias: 'mueller' },
      { start: 13, end: 25, folded: 'ludenscheidt', alias: 'luedenscheidt' },
    ]);
    expect(splitWords('')).to.deep.equal([]);
    expect(splitWords(' - / ()')).to.deep.equal([]);
  });

  it('folds case, accents and special letters', () => {
    expect(keys('ÉMILE Zoë Łukasz Øster Ærø Strauß STRASSE Yılmaz İpek')).to.deep.equal([
      ['emile', null],
      ['zoe', null],
      ['lukasz', null],
      ['oster', null],
      ['aero', null],
      ['strauss', null],
      ['strasse', null],
      ['yilmaz', null],
      ['ipek', null],
    ]);
    expect(keys('ＡＢＣ ﬁsch ①')).to.deep.equal([
      ['abc', null],
      ['fisch', null],
      ['1', null],
    ]);
  });

  it('gives umlaut words a German spelling as well, for precomposed and decomposed text', () => {
    expect(keys('Müller ÄRGER Böhm')).to.deep.equal([
      ['muller', 'mueller'],
      ['arger', 'aerger'],
      ['bohm', 'boehm'],
    ]);
    expect(keys('Mu\u0308ller')).to.deep.equal([['muller', 'mueller']]);
  });

  it('finds where a matched prefix ends in the original text', () => {
    const text = 'Jörg Mu\u0308ller-Strauß';
    const [jorg, muller, strauss] = splitWords(text);
    expect(prefixEnd(text, jorg!, 2, false)).to.equal(2);
    expect(prefixEnd(text, jorg!, 3, true)).to.equal(2); // "joe" is "Jö"
    expect(prefixEnd(text, muller!, 2, false)).to.equal(8); // "mu" takes the combining diaeresis along
    expect(prefixEnd(text, muller!, 3, true)).to.equal(8); // "mue"
    expect(prefixEnd(text, muller!, 6, false)).to.equal(12);
    expect(prefixEnd(text, strauss!, 6, false)).to.equal(19); // "straus" ends inside "ß"
    expect(prefixEnd(text, strauss!, 7, false)).to.equal(19);
  });

  it('makes sort keys that put umlauts with their vowels', () => {
    expect(sortingKey('Özdemir, Ayşe')).to.equal('ozdemir ayse');
    expect(sortingKey('  Hans-Peter  ')).to.equal('hans peter');
    expect(['Zander', 'Ärger', 'Anton'].sort((a, b) => (sortingKey(a) < sortingKey(b) ? -1 : 1))).to.deep.equal([
      'Anton',
      'Ärger',
      'Zander',
    ]);
  });
});
