// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

import {ERC20Core} from "./ERC20Core.sol";

/// An ERC-20 that burns `feeBps` basis points of every transfer (mints are free):
/// the case the router's SupportingFeeOnTransferTokens functions exist for.
contract FeeOnTransferToken is ERC20Core {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public immutable feeBps;
    address public immutable owner;

    constructor(string memory _name, string memory _symbol, uint256 _feeBps) {
        require(_feeBps < 10_000, "FeeOnTransferToken: FEE");
        name = _name;
        symbol = _symbol;
        feeBps = _feeBps;
        owner = msg.sender;
    }

    function mint(address to, uint256 value) external {
        require(msg.sender == owner, "FeeOnTransferToken: FORBIDDEN");
        _mint(to, value);
    }

    function _transfer(address from, address to, uint256 value) internal override {
        uint256 fee = (value * feeBps) / 10_000;
        _burn(from, fee);
        _move(from, to, value - fee);
    }
}
