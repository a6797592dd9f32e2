// The one reader of an XML declaration's encoding, used on both sides of the
// online check (the kiosk's answers, the simulated terminal's requests).
#include <gtest/gtest.h>
#include <kakunin/base/xml_text.h>

namespace kakunin::base {
namespace {

using Kind = XmlDeclaredEncoding::Kind;

TEST(XmlDeclaredEncoding, NamesUtf8AndTheShiftJisAliasesWindowsWritesAndWhereTheNameIs) {
  const std::string doc = "<?xml version=\"1.0\" encoding=\"Windows-31J\"?><a/>";
  const XmlDeclaredEncoding d = declared_xml_encoding(doc);
  EXPECT_EQ(d.kind, Kind::shift_jis);
  EXPECT_EQ(doc.substr(d.value_at, d.value_size), "Windows-31J");
  EXPECT_EQ(declared_xml_encoding("<?xml version='1.0' encoding='utf-8'?><a/>").kind, Kind::utf8);
  EXPECT_EQ(declared_xml_encoding("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>").kind,
            Kind::other);
}

TEST(XmlDeclaredEncoding, TellsAMissingDeclarationFromOneWithoutEncodingOrABrokenOne) {
  EXPECT_EQ(declared_xml_encoding("<a/>").kind, Kind::no_declaration);
  EXPECT_EQ(declared_xml_encoding("\xEF\xBB\xBF<?xml version=\"1.0\"?><a/>").kind,
            Kind::no_declaration);
  EXPECT_EQ(declared_xml_encoding("<?xml version=\"1.0\"?><a/>").kind, Kind::no_encoding);
  EXPECT_EQ(declared_xml_encoding("<?xml version=\"1.0\" encoding=UTF-8?><a/>").kind, Kind::broken);
  EXPECT_EQ(declared_xml_encoding("<?xml version=\"1.0\" encoding=\"UTF-8?><a/>").kind,
            Kind::broken);
}

}  // namespace
}  // namespace kakunin::base
