#include "mrv/units.hpp"

#include <doctest/doctest.h>

using mrv::conversion_factor;
using mrv::parse_unit;

TEST_SUITE("units") {
  TEST_CASE("units: compatible energies convert exactly by scale") {
    CHECK(conversion_factor(*parse_unit("kWh"), *parse_unit("MWh")) == 0.001);
    CHECK(conversion_factor(*parse_unit("MWh"), *parse_unit("kWh")) == 1000.0);
    CHECK(conversion_factor(*parse_unit("GJ"), *parse_unit("MJ")) == 1000.0);
    CHECK(conversion_factor(*parse_unit("MWh"), *parse_unit("GJ")) == doctest::Approx(3.6));
    CHECK(conversion_factor(*parse_unit("TJ"), *parse_unit("J")) == 1e12);
  }

  TEST_CASE("units: a compound unit times its denominator gives the numerator with factor 1") {
    mrv::Unit product = *parse_unit("MWh") * *parse_unit("tCO2/MWh");
    CHECK(product.dimension == parse_unit("tCO2")->dimension);
    CHECK(conversion_factor(product, *parse_unit("tCO2")) == 1.0);
    mrv::Unit kwh_product = *parse_unit("kWh") * *parse_unit("tCO2/MWh");
    CHECK(conversion_factor(kwh_product, *parse_unit("tCO2")) == 0.001);
  }

  TEST_CASE("units: a tonne of refrigerant is not a tonne of CO2") {
    CHECK_FALSE(mrv::same_dimension(*parse_unit("t"), *parse_unit("tCO2")));
    mrv::Unit via_gwp = *parse_unit("kg") * *parse_unit("tCO2e/t");
    CHECK(mrv::same_dimension(via_gwp, *parse_unit("tCO2")));
    CHECK(conversion_factor(via_gwp, *parse_unit("tCO2e")) == 0.001);
  }

  TEST_CASE("units: power, refrigeration tons and energy per day") {
    CHECK(mrv::same_dimension(*parse_unit("USRt"), *parse_unit("kW")));
    CHECK(conversion_factor(*parse_unit("USRt"), *parse_unit("kW")) ==
          doctest::Approx(3.5168528420667));
    CHECK(mrv::same_dimension(*parse_unit("kWh/d"), *parse_unit("W")));
    CHECK(conversion_factor(*parse_unit("kWh/d"), *parse_unit("W")) ==
          doctest::Approx(1000.0 / 24));
    CHECK(mrv::same_dimension(*parse_unit("GJ/t"), *parse_unit("MJ/kg")));
  }

  TEST_CASE("units: apparent power (kVA) is its own quantity, not power") {
    CHECK(conversion_factor(*parse_unit("kVA"), *parse_unit("VA")) == 1000.0);
    CHECK(conversion_factor(*parse_unit("MVA"), *parse_unit("kVA")) == 1000.0);
    CHECK_FALSE(mrv::same_dimension(*parse_unit("kVA"), *parse_unit("kW")));
    CHECK(parse_unit("kVA")->dimension.describe() == "apparent power");
    // A loss per rated capacity times the capacity gives back a power.
    mrv::Unit loss = *parse_unit("kVA") * *parse_unit("W/kVA");
    CHECK(mrv::same_dimension(loss, *parse_unit("kW")));
    CHECK(conversion_factor(loss, *parse_unit("W")) == 1.0);
    CHECK(conversion_factor(*parse_unit("kVA*h"), *parse_unit("VA*s")) == 3.6e6);
  }

  TEST_CASE("units: volumes, normal volumes, time and money") {
    CHECK(conversion_factor(*parse_unit("kL"), *parse_unit("L")) == 1000.0);
    CHECK(conversion_factor(*parse_unit("m3"), *parse_unit("kL")) == 1.0);
    CHECK_FALSE(mrv::same_dimension(*parse_unit("Nm3"), *parse_unit("m3")));
    CHECK(conversion_factor(*parse_unit("d"), *parse_unit("h")) == 24.0);
    CHECK(conversion_factor(*parse_unit("min"), *parse_unit("s")) == 60.0);
    CHECK(parse_unit("JPY/tCO2")->dimension.describe() == "money per CO2e mass");
  }

  TEST_CASE("units: products measured in tonnes, metres, cubic metres or pieces") {
    // A specific energy consumption times the production gives back an energy.
    CHECK(conversion_factor(*parse_unit("kWh/t") * *parse_unit("t"), *parse_unit("kWh")) == 1.0);
    CHECK(conversion_factor(*parse_unit("kWh/m") * *parse_unit("km"), *parse_unit("MWh")) == 1.0);
    CHECK(conversion_factor(*parse_unit("MJ/piece") * *parse_unit("piece"), *parse_unit("GJ")) ==
          1e-3);
    CHECK(conversion_factor(*parse_unit("m^3"), *parse_unit("m3")) == 1.0);
    CHECK(conversion_factor(*parse_unit("km"), *parse_unit("m")) == 1000.0);
    // Pieces, lengths and masses of product never mix.
    CHECK_FALSE(mrv::same_dimension(*parse_unit("kWh/piece"), *parse_unit("kWh/t")));
    CHECK_FALSE(mrv::same_dimension(*parse_unit("kWh/m"), *parse_unit("kWh/m3")));
    CHECK(parse_unit("piece")->dimension.describe() == "number of pieces");
    CHECK(parse_unit("m")->dimension.describe() == "length");
    CHECK(parse_unit("kWh/piece")->dimension.describe() == "J/piece");
  }

  TEST_CASE("units: a year of 365.25 days, for rates per year") {
    CHECK(conversion_factor(*parse_unit("yr"), *parse_unit("d")) == 365.25);
    CHECK((*parse_unit("1/yr") * *parse_unit("yr")).dimension.dimensionless());
    CHECK(conversion_factor(*parse_unit("1/yr") * *parse_unit("yr"), mrv::Unit::dimensionless()) ==
          1.0);
  }

  TEST_CASE("units: percent and fractions are dimensionless with a scale") {
    CHECK(parse_unit("%")->dimension.dimensionless());
    CHECK(conversion_factor(*parse_unit("%"), *parse_unit("fraction")) == 0.01);
    CHECK(parse_unit("1")->dimension.dimensionless());
    CHECK(parse_unit("")->text == "1");
  }

  TEST_CASE("units: absolute temperatures convert with their offset, differences without") {
    CHECK(mrv::convert_value(37.0, *parse_unit("degC"), *parse_unit("K")) ==
          doctest::Approx(310.15));
    CHECK(mrv::convert_value(310.15, *parse_unit("K"), *parse_unit("degC")) ==
          doctest::Approx(37.0));
    CHECK(conversion_factor(*parse_unit("degC"), *parse_unit("K")) == 1.0);
  }

  TEST_CASE("units: powers and normalised text") {
    mrv::Unit area = *parse_unit("m3/h");
    CHECK(area.text == "m3/h");
    CHECK(parse_unit("kW/USRt")->dimension.dimensionless());
    CHECK(parse_unit("J/kg*K")->dimension ==
          (parse_unit("J")->dimension / parse_unit("kg")->dimension / parse_unit("K")->dimension));
  }

  TEST_CASE("units: the text of a product or quotient reads back as the same unit") {
    mrv::Unit u = *parse_unit("tCO2/MWh") * *parse_unit("kWh");
    CHECK(u.text == "tCO2*kWh/MWh");
    CHECK(parse_unit(u.text)->dimension == u.dimension);
    CHECK(conversion_factor(*parse_unit(u.text), u) == 1.0);
    mrv::Unit q = *parse_unit("kWh") / (*parse_unit("kW") * *parse_unit("h"));
    CHECK(q.text == "kWh/kW*h");
    CHECK(parse_unit(q.text)->dimension.dimensionless());
    CHECK((*parse_unit("MWh") * *parse_unit("tCO2/MWh")).text == "tCO2");
    CHECK(parse_unit("degC")->pow(2).offset == 0.0);
    CHECK(parse_unit("m3")->pow(2).text == "m3^2");
  }

  TEST_CASE("units: an unknown name is an error with its offset and a suggestion") {
    mrv::UnitParseError e;
    CHECK_FALSE(parse_unit("tCO2/MWhh", &e));
    CHECK(e.message == "unknown unit 'MWhh' (did you mean 'MWh'?)");
    CHECK(e.offset == 5);
    CHECK(e.length == 4);
    CHECK_FALSE(parse_unit("kWh+", &e));
    CHECK(e.message == "unexpected '+' in unit 'kWh+'");
    CHECK(e.offset == 3);
    CHECK_FALSE(parse_unit("kW^", &e));
    CHECK(e.message == "expected an integer power after '^'");
  }
}
