// The ITU-T E.164 country calling codes in service (list of assigned codes, zones 1 to 9), so that
// outbound calls can default to "the country calling code of the from number". A table of codes,
// not a numbering-plan library: which country a number is in matters less here than which code
// it dials, and the codes are a prefix code (no assigned code is the start of another), so a
// number has exactly one. +1 (the North American Numbering Plan) and +7 are shared by several
// countries: the code, not the country, is what a prefix allows.

/** By zone; the non-geographic codes (international freephone, satellite, networks) are in 8 and 9. */
const CODES = [
  // Zone 1: the North American Numbering Plan (US, Canada and the Caribbean NANP countries).
  '1',
  // Zone 2: Africa and some Atlantic and Indian Ocean islands.
  '20', '211', '212', '213', '216', '218',
  '220', '221', '222', '223', '224', '225', '226', '227', '228', '229',
  '230', '231', '232', '233', '234', '235', '236', '237', '238', '239',
  '240', '241', '242', '243', '244', '245', '246', '247', '248', '249',
  '250', '251', '252', '253', '254', '255', '256', '257', '258',
  '260', '261', '262', '263', '264', '265', '266', '267', '268', '269',
  '27', '290', '291', '297', '298', '299',
  // Zones 3 and 4: Europe.
  '30', '31', '32', '33', '34', '350', '351', '352', '353', '354', '355', '356', '357', '358', '359', '36',
  '370', '371', '372', '373', '374', '375', '376', '377', '378', '379', '380', '381', '382', '383', '385', '386', '387', '389', '39',
  '40', '41', '420', '421', '423', '43', '44', '45', '46', '47', '48', '49',
  // Zone 5: South and Central America, and the South Atlantic.
  '500', '501', '502', '503', '504', '505', '506', '507', '508', '509',
  '51', '52', '53', '54', '55', '56', '57', '58',
  '590', '591', '592', '593', '594', '595', '596', '597', '598', '599',
  // Zone 6: South-East Asia and Oceania.
  '60', '61', '62', '63', '64', '65', '66',
  '670', '672', '673', '674', '675', '676', '677', '678', '679', '680', '681', '682', '683', '685', '686', '687', '688', '689', '690', '691', '692',
  // Zone 7: Russia and Kazakhstan.
  '7',
  // Zone 8: East Asia, and global services: 800 freephone, 808 shared cost, 870 Inmarsat,
  // 878 universal personal telecommunications, 881 global mobile satellite systems, 882 and 883
  // international networks, 888 humanitarian (OCHA).
  '800', '808', '81', '82', '84', '850', '852', '853', '855', '856', '86', '870', '878', '880', '881', '882', '883', '886', '888',
  // Zone 9: West, Central and South Asia, the Middle East; 979 international premium rate.
  '90', '91', '92', '93', '94', '95', '960', '961', '962', '963', '964', '965', '966', '967', '968',
  '970', '971', '972', '973', '974', '975', '976', '977', '979', '98', '992', '993', '994', '995', '996', '998',
] as const;

const ASSIGNED: ReadonlySet<string> = new Set(CODES);

/** `+447700900123` -> `+44`; undefined for a number whose first digits are no assigned code. */
export function countryCodeOf(number: string): string | undefined {
  const digits = number.startsWith('+') ? number.slice(1) : number;
  for (let length = 1; length <= 3; length++) {
    const code = digits.slice(0, length);
    if (code.length === length && ASSIGNED.has(code)) return `+${code}`;
  }
  return undefined;
}
