-- schemes.lua — which scoring scheme assesses which year. The briefing shows a year's
-- standing under the scheme named here (or the one given with --set scheme=NAME); it
-- never guesses a scheme from the year. A new year's scheme file is added here with it.
return {
  [2019] = "scoring_2019",
  [2020] = "scoring_2020",
}
