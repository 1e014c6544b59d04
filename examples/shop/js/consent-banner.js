// The demo shop's own consent banner: what a site without a CMP does. It remembers the
// visitor's choice in the shop's own cookie and tells Vario with vario.push(["consent", …]) —
// at once on every page once a choice exists, and when the visitor chooses. "Privacy choices"
// in the footer opens it again, so a visitor can withdraw (or give) consent at any time.
(function () {
  var kCookie = 'shop_consent';
  var read = function () {
    var match = document.cookie.match(/(?:^|; )shop_consent=(granted|denied)/);
    return match && match[1];
  };
  var tell = function (choice) {
    window.vario = window.vario || [];
    window.vario.push(['consent', choice]);
  };
  var choice = read();
  if (choice) tell(choice); // before the engine starts: the page is decided with it at once

  var banner;
  var close = function () {
    if (banner) banner.remove();
    banner = null;
  };
  var choose = function (value) {
    document.cookie = kCookie + '=' + value + '; Max-Age=' + 182 * 86400 + '; Path=/; SameSite=Lax';
    tell(value);
    close();
  };
  var button = function (label, className, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = label;
    b.addEventListener('click', onClick);
    return b;
  };
  var open = function () {
    if (banner) return;
    banner = document.createElement('section');
    banner.className = 'consent-banner';
    banner.setAttribute('aria-label', 'Privacy choices');
    var text = document.createElement('p');
    text.textContent = 'We test improvements to this shop. May we remember you and measure what you see? ' +
      'Without your consent only fixes and anonymous technical tests run.';
    var actions = document.createElement('div');
    actions.className = 'consent-actions';
    actions.append(
      button('Accept', 'button', function () { choose('granted'); }),
      button('Refuse', 'button button-quiet', function () { choose('denied'); }),
      button('Ask me later', 'link', close)
    );
    banner.append(text, actions);
    document.body.append(banner);
  };
  document.addEventListener('DOMContentLoaded', function () {
    var link = document.getElementById('privacy-choices');
    if (link) link.addEventListener('click', function (e) { e.preventDefault(); open(); });
    if (!read()) open();
  });
})();
