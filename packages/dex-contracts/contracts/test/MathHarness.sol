// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

import {Math} from "../core/Math.sol";

/// Test helper: exposes the pair's Math.sqrt so it can be checked against exact bigint
/// square roots over the whole uint256 range, many values per call.
contract MathHarness {
    function sqrtMany(uint256[] calldata ys) external pure returns (uint256[] memory zs) {
        zs = new uint256[](ys.length);
        for (uint256 i; i < ys.length; i++) zs[i] = Math.sqrt(ys[i]);
    }
}
