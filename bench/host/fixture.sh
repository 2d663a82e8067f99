# fixture.sh - sourced by the benches in bench/host: the Dorst sample
# grown to 25,000 addresses, as one survey of a host has them.
#
# dorst_25000 ROOT WORK writes WORK/dorst.yaml (the sample's definition
# with its household counts) and WORK/addresses.csv: 3 buurten of 8,333
# or so, streets of 200 numbers, one postcode a street (an address is its
# postcode and number).
dorst_25000() {
	local root=$1 work=$2
	sed -e 's/households: 142/households: 8333/' \
		-e 's/households: 176/households: 8333/' \
		-e 's/households: 131/households: 8334/' \
		"$root/samples/dorst-speelveld/survey.yaml" >"$work/dorst.yaml"
	awk 'BEGIN {
		OFS = ";"
		print "openbareruimtenaam;huisnummer;huisletter;huisnummertoevoeging;postcode;woonplaatsnaam;buurtcode"
		split("BU08260100 BU08260101 BU08260102", bu, " ")
		split("8333 8333 8334", cnt, " ")
		L = "ABCDEFGHJKLMNPRSTVWXZ"
		for (i = 1; i <= 3; i++)
			for (k = 0; k < cnt[i]; k++) {
				s = int(k / 200)
				pc = sprintf("48%02d %s%s", 40 + i,
					     substr(L, int(s / 21) + 1, 1),
					     substr(L, s % 21 + 1, 1))
				print "Straat " i "-" s + 1, k % 200 + 1, "", "", pc,
				      "Dorst", bu[i]
			}
	}' >"$work/addresses.csv"
}
